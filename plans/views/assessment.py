"""The case-study assessment's pages: the manager links passages to criteria and assigns
assessors; an assigned assessor records feedback on an approved revision; everyone entitled
reads the issued feedback and its PDF. Each asks plans.access first, then the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from plans.access import get_plan_for_user
from plans.assessment.criteria import CRITERION_BY_KEY, PROSE_KEYS
from plans.forms.assessment import PassageLinkForm
from plans.services import PlanLocked
from plans.services import assessment as services

from .drafting import locked_response


def _criteria_url(plan_pk: int) -> str:
    return reverse("plans:plan-detail", args=[plan_pk]) + "#criteria"


@login_required
@require_http_methods(["GET", "POST"])
def criterion_passage_link(request: AuthedRequest, pk: int, criterion: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if criterion not in PROSE_KEYS:
        raise Http404("No such criterion.")
    if not plan.can_edit_content():
        return locked_response(request, plan, PlanLocked(plan))
    form = PassageLinkForm(request.POST or None, plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            section, text = form.chosen()
            try:
                services.passage_link(plan_id=plan.pk, by=request.user, criterion=criterion, section=section, text=text)
            except PlanLocked as e:
                return locked_response(request, plan, e)
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, f"Passage linked to “{CRITERION_BY_KEY[criterion].title}”.")
                return redirect(_criteria_url(plan.pk))
        status = 400
    return render(
        request,
        "plans/assessment/passage_link.html",
        {"plan": plan, "form": form, "criterion": CRITERION_BY_KEY[criterion]},
        status=status,
    )


@login_required
@require_POST
def criterion_passage_unlink(request: AuthedRequest, pk: int, passage_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        services.passage_unlink(plan_id=plan.pk, by=request.user, passage_id=passage_id)
    except PlanLocked as e:
        return locked_response(request, plan, e)
    except PermissionDenied:
        raise
    messages.success(request, "Passage unlinked.")
    return redirect(_criteria_url(plan.pk))
