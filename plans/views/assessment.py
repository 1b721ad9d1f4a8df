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
from oakview.core.models import Role
from plans.access import get_plan_for_assessor, get_plan_for_user, is_assigned_assessor
from plans.assessment import feedback
from plans.assessment.check import check_snapshot
from plans.assessment.criteria import CRITERIA, CRITERION_BY_KEY, PROSE_KEYS
from plans.assessment.report import render_feedback
from plans.forms.assessment import AssessmentForm, AssessorAssignForm, PassageLinkForm
from plans.models import Assessment, AssessorAssignment, Plan, PlanRevision
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


# --- Assessors, assigned by the manager ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessor_list(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    candidates = services.assessor_candidates(plan)
    form = AssessorAssignForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assessor_assign(plan_id=plan.pk, by=request.user, assessor=form.cleaned_data["assessor"])
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(request, f"{form.cleaned_data['assessor'].display_name} can now assess this plan.")
                return redirect("plans:assessor-list", pk=plan.pk)
        status = 400
    assigned = plan.assessor_assignments.select_related("assessor", "assigned_by")
    return render(
        request,
        "plans/assessment/assessor_list.html",
        {"plan": plan, "form": form, "assigned": assigned, "candidates": candidates, "issued": feedback.issued(plan)},
        status=status,
    )


@login_required
@require_POST
def assessor_remove(request: AuthedRequest, pk: int, user_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    services.assessor_unassign(plan_id=plan.pk, by=request.user, assessor_id=user_id)
    messages.success(request, "The assessor no longer assesses this plan. Feedback already issued is kept.")
    return redirect("plans:assessor-list", pk=plan.pk)


# --- The assessor's pages ---------------------------------------------------------------------------


@login_required
def my_assessments(request: AuthedRequest) -> HttpResponse:
    assignments = (
        # One filter() call: the membership that is the user's must be the one that is a viewer's.
        AssessorAssignment.objects.filter(
            assessor=request.user, plan__home__memberships__user=request.user, plan__home__memberships__role=Role.VIEWER
        )
        .select_related("plan__home")
        .order_by("plan__title")
    )
    rows = []
    for a in assignments:
        revisions = list(a.plan.revisions.filter(status__in=services.ASSESSABLE).order_by("-number"))
        mine = {x.revision_id: x for x in Assessment.objects.filter(plan=a.plan, assessor=request.user)}
        rows.append({"plan": a.plan, "revisions": [(r, mine.get(r.pk)) for r in revisions]})
    return render(request, "plans/assessment/my_assessments.html", {"rows": rows})


def _assessable_revision(plan: Plan, number: int) -> PlanRevision:
    revision = plan.revisions.filter(number=number).first()
    if revision is None:
        raise Http404("No such revision.")
    if revision.status not in services.ASSESSABLE:
        raise PermissionDenied("Only an approved revision can be assessed.")
    return revision


def _judgements(form: AssessmentForm) -> list[services.JudgementInput]:
    data = form.cleaned_data
    return [
        services.JudgementInput(c.key, data.get(f"judgement_{c.key}") or "", data.get(f"feedback_{c.key}") or "")
        for c in CRITERIA
    ]


@login_required
@require_http_methods(["GET", "POST"])
def assess_revision(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    plan = get_plan_for_assessor(request.user, pk)
    revision = _assessable_revision(plan, number)
    existing = Assessment.objects.filter(revision=revision, assessor=request.user).prefetch_related("judgements").first()
    if existing is not None and existing.is_issued:
        return redirect("plans:assessment-detail", pk=plan.pk, assessment_id=existing.pk)
    form = AssessmentForm(request.POST or None, initial=AssessmentForm.initial_from(existing))
    status = 200
    if request.method == "POST":
        issue = request.POST.get("issue") == "1"
        if form.is_valid():
            try:
                assessment = services.assessment_save(
                    plan_id=plan.pk,
                    revision_number=revision.number,
                    by=request.user,
                    judgements=_judgements(form),
                    feedback=form.cleaned_data["feedback"],
                    outcome=form.cleaned_data["outcome"],
                    issue=issue,
                )
            except services.AssessmentClosed as e:
                messages.error(request, str(e))
                return redirect("plans:assess-revision", pk=plan.pk, number=revision.number)
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                if assessment.is_issued:
                    messages.success(request, "Feedback issued. The manager can see it now; it can no longer change.")
                    return redirect("plans:assessment-detail", pk=plan.pk, assessment_id=assessment.pk)
                messages.success(request, "Draft saved. Only you can see it until you issue it.")
                return redirect("plans:assess-revision", pk=plan.pk, number=revision.number)
        status = 400
    check = check_snapshot(revision.snapshot)
    rows = [(c, j, f, check.result(c.key)) for c, j, f in form.criterion_fields()]
    return render(
        request,
        "plans/assessment/assess.html",
        {
            "plan": plan,
            "revision": revision,
            "form": form,
            "rows": rows,
            "check": check,
            "resubmission": feedback.resubmission(revision, assessor_id=request.user.pk),
            "draft": existing,
        },
        status=status,
    )


def _readable_assessment(request: AuthedRequest, pk: int, assessment_id: int) -> tuple[Plan, Assessment]:
    """Issued feedback, for the home's manager and approvers and the assessor who wrote it."""
    plan = get_plan_for_user(request.user, pk)
    assessment = (
        Assessment.objects.issued()
        .filter(plan=plan, pk=assessment_id)
        .select_related("assessor", "revision")
        .prefetch_related("judgements")
        .first()
    )
    if assessment is None:
        raise Http404("No such feedback.")
    if not (plan.perms.can_manage or plan.perms.can_review or assessment.assessor_id == request.user.pk):
        raise PermissionDenied("Feedback is for the learner, their approvers and its assessor.")
    return plan, assessment


@login_required
def assessment_detail(request: AuthedRequest, pk: int, assessment_id: int) -> HttpResponse:
    plan, assessment = _readable_assessment(request, pk, assessment_id)
    context = {"plan": plan, **feedback.report_context(assessment)}
    newer = (
        plan.revisions.filter(number__gt=assessment.revision.number, status__in=services.ASSESSABLE).order_by("-number").first()
    )
    context["newer"] = newer
    context["can_assess_newer"] = newer is not None and is_assigned_assessor(request.user, plan)
    return render(request, "plans/assessment/assessment_detail.html", context)


@login_required
def assessment_pdf(request: AuthedRequest, pk: int, assessment_id: int) -> HttpResponse:
    _, assessment = _readable_assessment(request, pk, assessment_id)
    pdf = render_feedback(assessment)
    response = HttpResponse(pdf.data, content_type="application/pdf")
    name = f"feedback-plan-{pk}-revision-{assessment.revision.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
