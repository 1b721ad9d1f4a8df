"""The stakeholder map: the power/interest grid, the list under it, add and edit (htmx on
the page, with a plain form page behind it), a stakeholder's page, and ADKAR pulses."""

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

from .. import selectors, services, vocab
from ..charts import grid_svg, legend_svg, stance_line_svg
from ..forms import PulseForm, StakeholderFilterForm, StakeholderForm
from ..models import Stakeholder
from .common import attempt, confirm_delete, form_page, locked, page_query, paginate, plain_get, url_with

MAP = "stakeholders/stakeholder_map.html"
STANCE_KEY = [{"stance": s, "icon": legend_svg(s)} for s in vocab.STANCES]


def _map_url(plan_id: int, anchor: str = "", **params) -> str:
    return url_with("stakeholders:map", plan_id, anchor, **params)


def _cell(value: str | None) -> tuple[int, int] | None:
    """The grid square a filter names ("3-4": power 3, interest 4); the filter form has checked it."""
    if not value:
        return None
    power, interest = value.split("-")
    return int(power), int(interest)


def map_context(
    request: AuthedRequest, plan: Plan, *, form: StakeholderForm | None = None, editing: Stakeholder | None = None
) -> dict:
    """Everything the map page shows. Queries, whatever the number of stakeholders: every
    stakeholder for the grid, the page of the list (count and rows with owners), staff
    stance histories, the summary counts, the latest pulses, and the owners for the form."""
    today = timezone.localdate()
    filter_form = StakeholderFilterForm(request.GET or None)
    filters = filter_form.values()
    points = selectors.grid_points(plan)
    numbers = {p.id: p.number for p in points}
    selected = _cell(filters.get("cell"))

    def href_for(power: int, interest: int) -> str:
        return _map_url(plan.pk, "stakeholder-list", cell=f"{power}-{interest}")

    page = paginate(request, selectors.map_rows(plan, filters))
    for row in page.object_list:
        row.number = numbers.get(row.pk)
    weeks = selectors.stance_weeks(plan, today=today)
    if plan.perms.can_edit and form is None and editing is None:
        form = StakeholderForm(plan=plan)
    return {
        "plan": plan,
        "summary": selectors.summary(plan, today=today),
        "points": points,
        "grid_svg": grid_svg(points, id_prefix="grid", href_for=href_for, selected=selected),
        "stance_key": STANCE_KEY,
        "quadrants": vocab.QUADRANTS,
        "filter_form": filter_form,
        "filters": filters,
        "filtered": bool({k for k in filters if k != "sort"}),
        "page": page,
        "page_query": page_query(request),
        "weeks": weeks,
        "line_svg": stance_line_svg(weeks, id_prefix="stance-line"),
        "pulses": selectors.latest_pulses(plan),
        "form": form,
        "editing": editing,
    }


@login_required
def stakeholder_map(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    context = map_context(request, plan)
    if request.htmx and request.htmx.target == "stakeholder-map":
        return render(request, f"{MAP}#map", context)
    return render(request, MAP, context)


def _saved(request: AuthedRequest, plan: Plan, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return render(request, f"{MAP}#map", map_context(plain_get(request), plan))
    return redirect(_map_url(plan.pk, "stakeholder-list"))


def _editor(request: AuthedRequest, plan: Plan, form: StakeholderForm, stakeholder: Stakeholder | None) -> HttpResponse:
    if request.htmx:
        # 200 even with errors: htmx swaps only 2xx responses, and the form with its
        # messages must replace the one the manager typed into.
        return render(request, f"{MAP}#map", map_context(plain_get(request), plan, form=form, editing=stakeholder))
    title = f"Edit {stakeholder.name}" if stakeholder else "Add a stakeholder"
    return render(
        request,
        "stakeholders/stakeholder_form.html",
        {"plan": plan, "form": form, "stakeholder": stakeholder, "title": title, "quadrants": vocab.QUADRANTS},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id, write=True)
    if not plan.can_edit_content():
        return locked(request, plan, _map_url(plan.pk))
    form = StakeholderForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            created = attempt(form, lambda: services.stakeholder_create(plan_id=plan.pk, by=request.user, data=form.model_data()))
        except services.PlanLocked:
            return locked(request, plan, _map_url(plan.pk))
        if created is not None:
            return _saved(
                request, plan, f"Added {created.name} ({created.quadrant.name.lower()}, {created.get_stance_display().lower()})."
            )
    return _editor(request, plan, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.get_row(request.user, Stakeholder, pk, write=True)
    plan = stakeholder.plan
    if not plan.can_edit_content():
        return locked(request, plan, _map_url(plan.pk))
    form = StakeholderForm(request.POST or None, instance=stakeholder, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = attempt(
                form,
                lambda: services.stakeholder_update(
                    stakeholder=form.instance,
                    by=request.user,
                    data=form.model_data(),
                    expected_version=form.expected_version(),
                    **form.stance_change(),
                ),
            )
        except services.PlanLocked:
            return locked(request, plan, _map_url(plan.pk))
        if saved is not None:
            return _saved(request, plan, f"Saved {saved.name}.")
    return _editor(request, plan, form, stakeholder)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.get_row(request.user, Stakeholder, pk, write=True)
    concerns = stakeholder.raised_concerns.count()
    messages_to = stakeholder.communications.count()
    consequences = (
        f"Their stance history and ADKAR pulses go with them, and {messages_to} planned message{'s' if messages_to != 1 else ''} "
        f"to them. {concerns} concern{'s' if concerns != 1 else ''} they raised stay{'s' if concerns == 1 else ''} in the log "
        "without a name. Revisions already submitted keep their copy."
    )
    return confirm_delete(
        request,
        plan=stakeholder.plan,
        what="stakeholder",
        name=stakeholder.name,
        consequences=consequences,
        delete=lambda: services.stakeholder_delete(stakeholder=stakeholder, by=request.user),
        back=_map_url(stakeholder.plan_id, "stakeholder-list"),
    )


@login_required
def stakeholder_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.get_row(request.user, Stakeholder, pk)
    plan = stakeholder.plan
    pulses = list(stakeholder.pulses.select_related("recorded_by"))
    return render(
        request,
        "stakeholders/stakeholder_detail.html",
        {
            "plan": plan,
            "stakeholder": stakeholder,
            "history": list(stakeholder.stance_changes.select_related("recorded_by")),
            "pulses": pulses,
            "adkar": vocab.ADKAR,
            "concerns": list(stakeholder.raised_concerns.select_related("action")),
            "communications": list(stakeholder.communications.select_related("owner")),
            "activities": list(stakeholder.activities.order_by("-held_on")),
            "champions": list(stakeholder.champions.select_related("user")),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pulse_create(request: AuthedRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.get_row(request.user, Stakeholder, pk, write=True)
    plan = stakeholder.plan
    back = url_with("stakeholders:stakeholder-detail", stakeholder.pk, "pulses")
    if not stakeholder.is_staff:
        messages.error(request, "ADKAR pulses are for staff groups: they measure how ready staff are to work the new way.")
        return redirect(back)
    form = PulseForm(request.POST or None)

    def success(pulse) -> str:
        barrier = pulse.barrier
        if barrier is None:
            return f"ADKAR pulse recorded for {stakeholder.name}: no element at 3 or below."
        return (
            f"ADKAR pulse recorded for {stakeholder.name}: the barrier is {barrier.name.lower()} ({barrier.action_kind.lower()})."
        )

    return form_page(
        request,
        plan=plan,
        form=form,
        back=back,
        success=success,
        title=f"ADKAR pulse for {stakeholder.name}",
        template="stakeholders/pulse_form.html",
        extra={"stakeholder": stakeholder, "adkar": vocab.ADKAR},
        save=lambda: services.pulse_record(stakeholder=stakeholder, by=request.user, data=form.model_data()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pulse_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    pulse = selectors.get_pulse(request.user, pk, write=True)
    stakeholder = pulse.stakeholder
    return confirm_delete(
        request,
        plan=stakeholder.plan,
        what="ADKAR pulse",
        name=f"{stakeholder.name}, {long_date(pulse.taken_on)}",
        consequences="The reading is removed from the stakeholder's readiness history.",
        delete=lambda: services.pulse_delete(pulse=pulse, by=request.user),
        back=url_with("stakeholders:stakeholder-detail", stakeholder.pk, "pulses"),
    )
