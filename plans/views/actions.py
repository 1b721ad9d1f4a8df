"""My actions: staff see and move on the actions assigned to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from oakview.core.access import role_in
from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from oakview.core.models import User
from plans import selectors, services
from plans.access import get_row_for_user
from plans.forms.drafting import ActionStatusForm
from plans.models import Action
from plans.parts import collect_my_actions_panels
from plans.services import PlanLocked


@login_required
def my_actions(request: AuthedRequest) -> HttpResponse:
    context = selectors.my_actions(request.user)
    for group in context["groups"].values():
        for action in group:
            action.form = ActionStatusForm(action=action)
    training = list(selectors.my_training(request.user))
    context["training"] = training
    context["panels"] = collect_my_actions_panels(request, request.user)
    plan_ids = {a.plan_id for group in context["groups"].values() for a in group} | {t.plan_id for t in training}
    context["changes"] = selectors.change_for_me(request.user, plan_ids)
    return render(request, "plans/my_actions.html", context)


def _get_action_for_status(user: User, pk: int) -> tuple[Action, str | None]:
    action = get_row_for_user(user, Action, pk)
    role = role_in(user, action.plan.home_id)
    if not services.may_update_status(action=action, user=user, role=role):
        raise PermissionDenied("Only the action's owner or the home's manager can update it.")
    return action, role


@login_required
@require_http_methods(["GET", "POST"])
def action_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff change the status of their own action and add a note; nothing else."""
    action, _role = _get_action_for_status(request.user, pk)
    form = ActionStatusForm(request.POST or None, action=action)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.action_update_status(
                    action=action,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except StaleEdit:
                form.add_stale_error()
                status = 409
            except PlanLocked as e:
                form.add_error(None, str(e))
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                if request.htmx and request.POST.get("card") == "today":
                    action.refresh_from_db()
                    return render(request, "plans/my_actions.html#today-card", {"a": action, "saved": True})
                if request.htmx:
                    action.refresh_from_db()
                    action.form = ActionStatusForm(action=action)  # type: ignore[attr-defined]
                    context = {"a": action, "saved": True, "today": timezone.localdate()}
                    return render(request, "plans/my_actions.html#action-card", context)
                messages.success(request, f"Updated “{action.title}”.")
                back = reverse("plans:plan-detail", args=[action.plan_id])
                return redirect(back if request.POST.get("next") == back else "plans:my-actions")
    action.form = form  # type: ignore[attr-defined]
    template = "plans/my_actions.html#action-card" if request.htmx else "plans/action_status.html"
    return render(
        request,
        template,
        {"a": action, "action": action, "form": form, "today": timezone.localdate()},
        status=200 if request.htmx else status,
    )
