"""Drafting pages: the plan list, a new plan, the plan page, its details and sections."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from oakview.core.access import WRITE_ROLES, homes_with_role, roles_by_home
from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from oakview.core.models import CareHome
from oakview.core.once import AlreadySent, create_once
from plans import selectors, services
from plans.access import get_plan_for_user, require_approved_for_readers
from plans.assessment.criteria import OUTCOME, QUESTION, criteria_in, jurisdiction_for
from plans.forms.drafting import SECTION_FORMS, BulkAssignForm, PlanCreateForm, PlanDetailsForm, PlanFilterForm
from plans.models import Plan
from plans.parts import collect_plan_panels
from plans.services import PlanLocked, workflow
from plans.snapshot.progress import SECTION_WORD_GUIDE
from plans.snapshot.sections import SECTION_BY_KEY, SECTION_BY_NUMBER, SECTIONS, WORD_GUIDE, Section
from plans.snapshot.text import WORD_PATTERN, render_markdown, word_count


@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    roles = roles_by_home(request.user)
    homes = CareHome.objects.filter(pk__in=roles)
    filters = PlanFilterForm(request.GET or None, homes=homes)
    status, home = filters.values()
    home_id = home.pk if home else None
    plans = selectors.plan_list(request.user, status=status, home_id=home_id)
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "homes": homes,
            "filter_form": filters,
            "status": status,
            "home_id": home_id,
            "can_create": bool(homes_with_role(request.user, WRITE_ROLES)),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest) -> HttpResponse:
    home_ids = homes_with_role(request.user, WRITE_ROLES)
    if not home_ids:
        raise PermissionDenied("Only a home's Registered Manager can start a plan.")
    form = PlanCreateForm(request.POST or None, homes=CareHome.objects.filter(pk__in=home_ids))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = create_once(
                form,
                lambda: services.plan_create(
                    home=data["home"],
                    by=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    start_date=data["start_date"],
                    go_live_date=data["go_live_date"],
                    end_date=data["end_date"],
                    template=form.template(),
                ),
            )
        except AlreadySent as e:
            messages.info(request, str(e))
            return redirect("plans:plan-list")
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, f"Plan “{plan.title}” started. Work through the five sections below.")
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if plan.perms.approved_only:
        # Staff and assessors read the plan as approved, never a draft in the making.
        require_approved_for_readers(plan)
        in_force = workflow.approved_revision(plan)
        assert in_force is not None  # required just above
        return redirect("plans:revision-detail", pk=plan.pk, number=in_force.number)
    box = selectors.workflow_box(plan, request.user)
    context = {
        "plan": plan,
        **selectors.plan_overview(plan, box),
        "workflow": box,
        "panels": collect_plan_panels(request, plan),
        "open_comments": selectors.open_comments(plan) if plan.perms.can_review else [],
    }
    if plan.perms.can_manage:
        context["timeline"] = selectors.plan_timeline(plan, limit=10)
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_section(request: AuthedRequest, pk: int, section: str) -> HttpResponse:
    """One question of the plan: its narrative, its records, its parts' panels, with the
    sidebar of all five marked done or needing work."""
    plan = get_plan_for_user(request.user, pk)
    sec = SECTION_BY_KEY.get(section)
    if sec is None:
        raise Http404("No such section.")
    if plan.perms.approved_only:
        require_approved_for_readers(plan)
        in_force = workflow.approved_revision(plan)
        assert in_force is not None  # required just above
        return redirect(f"{reverse('plans:revision-detail', args=[plan.pk, in_force.number])}#{sec.anchor}")
    return render(request, "plans/plan_section.html", section_context(request, plan, sec))


def section_context(request: AuthedRequest, plan: Plan, sec: Section) -> dict[str, Any]:
    problems = selectors.plan_problems(plan)
    statuses, _ = selectors.section_statuses(plan, problems)
    page = selectors.plan_page(plan)
    return {
        "plan": plan,
        **page,
        "section": sec,
        "sv": next(v for v in page["sections"] if v.section.key == sec.key),
        "statuses": statuses,
        "status": next(s for s in statuses if s.section.key == sec.key),
        "problems": problems,
        "panels": collect_plan_panels(request, plan).get(sec.key, []),
        "conversations": selectors.conversations(plan, section=sec.key) if plan.perms.can_review else [],
        "section_word_guide": SECTION_WORD_GUIDE,
        "bulk_form": BulkAssignForm(plan=plan) if plan.perms.can_edit else None,
        "previous_section": SECTION_BY_NUMBER.get(sec.number - 1),
        "next_section": SECTION_BY_NUMBER.get(sec.number + 1),
    }


@login_required
def plan_history(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    page = selectors.plan_history_page(plan, request.GET.get("page"))
    return render(request, "plans/plan_history.html", {"plan": plan, "page": page})


def locked_response(request: AuthedRequest, plan: Plan, exc: PlanLocked) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("plans:plan-detail", pk=plan.pk)


def refuse_locked(form: Any, exc: PlanLocked) -> int:
    """A save refused because the plan locked (submitted, say) while the person typed: the
    form comes back with their text and the reason; 409, as for a stale version."""
    form.is_valid()  # the typed values are shown as typed
    form.add_error(None, exc.refused_save)
    return 409


def _save_plan_form(request: AuthedRequest, plan: Plan, form: Any) -> int | None:
    """Validate and save a form over the plan's own fields (details or a section).

    None when saved; otherwise the status to show the form again with: 400 for bad input,
    409 when someone else saved first (the user's input stays in the form). PlanLocked
    propagates for the caller to explain.
    """
    if not form.is_valid():
        return 400
    try:
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        services.plan_update(plan=plan, by=request.user, expected_version=form.expected_version(), **fields)
    except StaleEdit:
        form.add_stale_error()
        return 409
    except ValidationError as e:
        add_validation_errors(form, e)
        return 400
    return None


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if not plan.can_edit_content() and request.method != "POST":
        return locked_response(request, plan, PlanLocked(plan))
    form = PlanDetailsForm(request.POST or None, instance=plan)
    status: int | None = 200
    if request.method == "POST":
        try:
            if not plan.can_edit_content():
                raise PlanLocked(plan)
            status = _save_plan_form(request, plan, form)
        except PlanLocked as e:
            status = refuse_locked(form, e)
        if status is None:
            messages.success(request, "Plan details saved.")
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form, "heading": "Edit plan details"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_section_edit(request: AuthedRequest, pk: int, section: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    sec = SECTION_BY_KEY.get(section)
    if sec is None:
        raise Http404("No such section.")
    if not plan.can_edit_content() and request.method != "POST":
        return locked_response(request, plan, PlanLocked(plan))
    form_class = SECTION_FORMS[sec.key]
    form = form_class(request.POST or None, instance=plan)
    status: int | None = 200
    if request.method == "POST":
        try:
            if not plan.can_edit_content():
                raise PlanLocked(plan)
            status = _save_plan_form(request, plan, form)
        except PlanLocked as e:
            status = refuse_locked(form, e)
        if status is None:
            messages.success(request, f"{sec.title} saved.")
            return redirect("plans:plan-section", pk=plan.pk, section=sec.key)
    # Writing help: the live preview (server-rendered, the same sanitiser), the draft kept in
    # the browser until the text is saved (oakview.js), the toolbar's target.
    preview_url = reverse("plans:plan-section-preview", args=[plan.pk, sec.key])
    form.fields[sec.narrative_field].widget.attrs.update(
        {
            "hx-post": preview_url,
            "hx-trigger": "input changed delay:700ms, load",
            "hx-target": f"#preview-{sec.key}",
            "hx-swap": "innerHTML",
            "data-draft-key": f"oakview-draft-plan-{plan.pk}-{sec.key}",
            "data-markdown-editor": "",
        }
    )
    jurisdiction = jurisdiction_for(plan.home.get_regulator_display())
    return render(
        request,
        "plans/plan_section_edit.html",
        {
            "plan": plan,
            "form": form,
            "section": sec,
            "heading": f"{sec.number}. {sec.title}",
            "other_words": sum(word_count(plan.narrative(s)) for s in SECTIONS if s.key != sec.key),
            "word_guide": WORD_GUIDE,
            "section_word_guide": SECTION_WORD_GUIDE,
            "word_pattern": WORD_PATTERN,
            "narrative_id": form[sec.narrative_field].id_for_label,
            "guidance": [(c.title, c.reads(jurisdiction)) for c in criteria_in(QUESTION) if c.section == sec.number],
            "outcomes": [(c.title, c.reads(jurisdiction), c.section == sec.number) for c in criteria_in(OUTCOME)],
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def plan_section_preview(request: AuthedRequest, pk: int, section: str) -> HttpResponse:
    """The narrative as it will read, rendered by the server with the same Markdown rules and
    sanitiser as the saved text, and its word count by the same rule (htmx, while typing)."""
    get_plan_for_user(request.user, pk, write=True)  # 404 for another home, 403 unless the manager
    sec = SECTION_BY_KEY.get(section)
    if sec is None:
        raise Http404("No such section.")
    text = request.POST.get(sec.narrative_field, "")[:100_000]
    return render(request, "plans/_narrative_preview.html", {"html": render_markdown(text), "words": word_count(text)})
