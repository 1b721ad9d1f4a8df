"""The concerns log, "you said, we did": what people raised, what they were told, what
changed, and the plan action made from it. Logging and answering work in place with htmx
and as plain forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from oakview.core.formats import long_date
from oakview.core.http import AuthedRequest
from plans.models import Plan

from .. import rules, selectors, services
from ..forms import ConcernFilterForm, ConcernForm, ConcernResponseForm, PlanActionForm
from ..models import Concern
from .common import attempt, confirm_delete, form_page, locked, page_query, paginate, plain_get, url_with

LOG = "stakeholders/concern_log.html"


def _log_url(plan_id: int, anchor: str = "", **params) -> str:
    return url_with("stakeholders:concerns", plan_id, anchor, **params)


def log_context(
    request: AuthedRequest,
    plan: Plan,
    *,
    form: ConcernForm | None = None,
    responding: Concern | None = None,
    response_form: ConcernResponseForm | None = None,
) -> dict:
    """Queries, whatever the number of concerns: the stakeholders for the filter and the
    form, the page's count and rows (with who raised them and the plan action), the summary."""
    today = timezone.localdate()
    filter_form = ConcernFilterForm(request.GET or None, plan=plan)
    filters = filter_form.values()
    page = paginate(request, selectors.concern_rows(plan, filters, today=today))
    for concern in page.object_list:
        concern.overdue = concern.is_overdue(today)
        concern.waiting = (today - concern.raised_on).days
    if plan.perms.can_edit and form is None:
        form = ConcernForm(plan=plan)
    return {
        "plan": plan,
        "summary": selectors.summary(plan, today=today),
        "filter_form": filter_form,
        "filters": filters,
        "page": page,
        "page_query": page_query(request),
        "form": form,
        "responding": responding,
        "response_form": response_form,
        "days": rules.CONCERN_ANSWER_DAYS,
    }


@login_required
def concern_log(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    context = log_context(request, plan)
    if request.htmx and request.htmx.target == "concern-log":
        return render(request, f"{LOG}#log", context)
    return render(request, LOG, context)


@login_required
@require_http_methods(["GET", "POST"])
def concern_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id, write=True)
    if not plan.can_edit_content():
        return locked(request, plan, _log_url(plan.pk))
    form = ConcernForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            concern = attempt(form, lambda: services.concern_create(plan_id=plan.pk, by=request.user, data=form.model_data()))
        except services.PlanLocked:
            return locked(request, plan, _log_url(plan.pk))
        if concern is not None:
            who = concern.stakeholder.name if concern.stakeholder else "someone not on the map"
            messages.success(request, f"Logged the concern from {who}.")
            if request.htmx:
                return render(request, f"{LOG}#log", log_context(plain_get(request), plan))
            return redirect(_log_url(plan.pk, f"concern-{concern.pk}"))
    if request.htmx:
        return render(request, f"{LOG}#log", log_context(plain_get(request), plan, form=form))
    return render(
        request,
        "stakeholders/row_form.html",
        {"plan": plan, "form": form, "title": "Log a concern", "back": _log_url(plan.pk)},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_respond(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = selectors.get_row(request.user, Concern, pk, write=True)
    plan = concern.plan
    back = _log_url(plan.pk, f"concern-{concern.pk}")
    if not plan.can_edit_content():
        return locked(request, plan, back)
    form = ConcernResponseForm(request.POST or None, instance=concern)
    if request.method == "POST" and form.is_valid():
        try:
            saved = attempt(
                form,
                lambda: services.concern_update(
                    concern=form.instance, by=request.user, data=form.model_data(), expected_version=form.expected_version()
                ),
            )
        except services.PlanLocked:
            return locked(request, plan, back)
        if saved is not None:
            messages.success(
                request,
                f"Saved the answer to {saved.stakeholder.name if saved.stakeholder else 'the concern'} "
                f"({saved.get_status_display().lower()}).",
            )
            if request.htmx:
                return render(request, f"{LOG}#log", log_context(plain_get(request), plan))
            return redirect(back)
    if request.htmx:
        fresh = Concern.objects.select_related("stakeholder").get(pk=concern.pk)
        return render(request, f"{LOG}#log", log_context(plain_get(request), plan, responding=fresh, response_form=form))
    return render(
        request,
        "stakeholders/concern_respond.html",
        {"plan": plan, "concern": concern, "form": form, "back": back},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = selectors.get_row(request.user, Concern, pk, write=True)
    plan = concern.plan
    form = ConcernForm(request.POST or None, instance=concern, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        back=_log_url(plan.pk, f"concern-{concern.pk}"),
        title="Edit a concern",
        success=lambda c: f"Saved the concern ({c.get_status_display().lower()}).",
        save=lambda: services.concern_update(
            concern=form.instance, by=request.user, data=form.model_data(), expected_version=form.expected_version()
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_action(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = selectors.get_row(request.user, Concern, pk, write=True)
    plan = concern.plan
    form = PlanActionForm(request.POST or None, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        back=_log_url(plan.pk, f"concern-{concern.pk}"),
        template="stakeholders/action_form.html",
        title="A plan action from this concern",
        extra={"source": concern, "source_kind": "concern"},
        success=lambda a: f"Added the action “{a.title}” to the plan, due {long_date(a.due_date)}.",
        save=lambda: services.concern_create_action(concern=concern, by=request.user, **form.cleaned_data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = selectors.get_row(request.user, Concern, pk, write=True)
    return confirm_delete(
        request,
        plan=concern.plan,
        what="concern",
        name=concern.text[:80],
        consequences="It leaves the log; a plan action made from it stays in the plan.",
        delete=lambda: services.concern_delete(concern=concern, by=request.user),
        back=_log_url(concern.plan_id),
    )
