"""A plan's revisions (the list, one frozen revision) and its adjustments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from oakview.core.http import AuthedRequest
from oakview.core.once import AlreadySent, create_once
from plans.access import get_plan_for_user, is_assigned_assessor, require_approved_for_readers
from plans.forms.workflow import AdjustmentForm
from plans.models import Plan, PlanRevision
from plans.services import workflow

from .review import plan_url, sections_with_comments, word_context


def _visible_revisions(plan: Plan) -> QuerySet[PlanRevision]:
    # The list shows numbers, dates and decisions: the snapshots stay in the database.
    revisions = plan.revisions.defer("snapshot").select_related("submitted_by").prefetch_related("decisions__approver")
    if plan.perms.can_review:
        return revisions
    return revisions.filter(status__in=[PlanRevision.Status.APPROVED, PlanRevision.Status.SUPERSEDED])


@login_required
def revision_list(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    require_approved_for_readers(plan)  # staff and viewers: nothing of a never-approved plan
    revisions = _visible_revisions(plan).order_by("-number")
    return render(
        request,
        "plans/revision_list.html",
        {"plan": plan, "revisions": revisions, "timeline": workflow.plan_timeline(plan), "plan_url": plan_url(plan)},
    )


@login_required
def revision_detail(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    try:
        revision = plan.revisions.select_related("submitted_by").get(number=number)
    except PlanRevision.DoesNotExist:
        raise Http404("No such revision.") from None
    if not plan.perms.can_review and not revision.is_public:
        raise PermissionDenied("Only approved revisions can be read in your role.")
    sections, general = sections_with_comments(revision)
    return render(
        request,
        "plans/revision_detail.html",
        {
            "plan": plan,
            "revision": revision,
            "sections": sections,
            "general_comments": general,
            "decisions": revision.decisions.select_related("approver"),
            **word_context(revision.snapshot),
            "plan_url": plan_url(plan),
            "in_force": revision.status == PlanRevision.Status.APPROVED,
            # An assessor assigned to the plan records feedback on an approved revision.
            "can_assess": revision.is_public and plan.perms.approved_only and is_assigned_assessor(request.user, plan),
        },
    )


@login_required
def adjustment_list(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    require_approved_for_readers(plan)
    return render(
        request,
        "plans/adjustment_list.html",
        {
            "plan": plan,
            "adjustments": plan.adjustments.select_related("recorded_by"),
            "can_record": plan.perms.can_manage and plan.status == Plan.Status.IN_PROGRESS,
            "material": workflow.material_changes(plan) if plan.status == Plan.Status.IN_PROGRESS else [],
            "plan_url": plan_url(plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = AdjustmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            create_once(form, lambda: workflow.adjustment_record(plan_id=plan.pk, by=request.user, **form.cleaned_data))
        except AlreadySent as e:
            messages.info(request, str(e))
            return redirect("plans:adjustment-list", pk=plan.pk)
        except workflow.TransitionError as error:
            if error.forbidden:
                raise PermissionDenied(error.message) from None
            form.add_error(None, error.message)
        else:
            messages.success(request, "Adjustment recorded.")
            return redirect("plans:adjustment-list", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/adjustment_form.html", {"plan": plan, "form": form, "plan_url": plan_url(plan)}, status=status)
