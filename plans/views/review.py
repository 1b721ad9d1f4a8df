"""The approval workflow's pages: the review page (decide, comment), the approver's list,
and the manager's transitions. Each asks plans.access first, then plans.services.workflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from oakview.core.access import homes_with_role
from oakview.core.http import AuthedRequest
from oakview.core.models import Role
from oakview.core.once import AlreadySent, create_once
from plans import selectors
from plans.access import get_plan_for_user
from plans.forms.workflow import CloseForm, DecisionForm, ReviewCommentForm
from plans.models import Plan, PlanRevision, ReviewComment
from plans.parts import collect_approver_summary, readiness_problems, recorded_outcome
from plans.services import workflow
from plans.snapshot.diff import diff_snapshots
from plans.snapshot.layout import RenderedSection, revision_sections, snapshot_word_count
from plans.snapshot.sections import SECTION_BY_KEY, WORD_GUIDE


def plan_url(plan: Plan) -> str:
    return reverse("plans:plan-detail", args=[plan.pk])


def forbidden_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role in this home does not allow this.")


def transition_failed(
    request: HttpRequest, plan: Plan, error: workflow.TransitionError, *, to: str | None = None
) -> HttpResponse:
    if error.forbidden:
        raise PermissionDenied(error.message)
    messages.error(request, error.message)
    return redirect(to or plan_url(plan))


def sections_with_comments(revision: PlanRevision) -> tuple[list[RenderedSection], list[ReviewComment]]:
    """The revision laid out by section, each with its review conversations: the comments on
    this revision, and those still open from earlier revisions (they follow the plan to its
    next review); and the comments on the revision as a whole."""
    comments: dict[str, list[ReviewComment]] = {}
    for comment in selectors.conversations(revision.plan):
        if comment.revision_id == revision.pk or (comment.revision.number < revision.number and not comment.is_resolved):
            comments.setdefault(comment.section, []).append(comment)
    sections = revision_sections(revision.snapshot)
    for section in sections:
        section.comments = comments.get(section.key, [])
    return sections, comments.get("general", [])


def word_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    words = snapshot_word_count(snapshot)
    return {"word_count": words, "word_guide": WORD_GUIDE, "word_count_ok": WORD_GUIDE[0] <= words <= WORD_GUIDE[1]}


# --- The review page ------------------------------------------------------------------------


def _review_context(request: AuthedRequest, plan: Plan, revision: PlanRevision, **forms: Any) -> dict[str, Any]:
    # Against the last approved revision; before anything is approved, against the revision
    # that was sent back, so the approver sees whether their comments were acted on.
    earlier = plan.revisions.filter(number__lt=revision.number).order_by("-number")
    previous = (
        earlier.filter(status__in=[PlanRevision.Status.APPROVED, PlanRevision.Status.SUPERSEDED]).first() or earlier.first()
    )
    under_review = revision.status == PlanRevision.Status.SUBMITTED and plan.status == Plan.Status.IN_REVIEW
    can_decide = under_review and workflow.can(plan, workflow.Action.APPROVE, request.user)
    sections, general = sections_with_comments(revision)
    if can_decide:
        for section in sections:
            if section.number:
                section.comment_form = _comment_form(revision, section, forms)
    return {
        "plan": plan,
        "revision": revision,
        "sections": sections,
        "general_comments": general,
        "summary": collect_approver_summary(revision.snapshot),
        # Readiness is of the live plan, which is frozen while in review: the same content.
        "problems": readiness_problems(plan) if under_review else None,
        "previous": previous,
        "changes": diff_snapshots(previous.snapshot, revision.snapshot) if previous else None,
        "decisions": revision.decisions.select_related("approver"),
        "open_comments": sum(1 for s in sections for c in s.comments if not c.is_resolved)
        + sum(1 for c in general if not c.is_resolved),
        "can_decide": can_decide,
        "own_plan": under_review and request.user.pk is not None and workflow.is_own_plan(plan, request.user),
        "decision_form": forms.get("decision_form") or DecisionForm(initial={"revision": revision.number}),
        "comment_form": forms.get("comment_form"),
        "comment_section": forms.get("comment_section"),
        **word_context(revision.snapshot),
        "plan_url": plan_url(plan),
    }


def _comment_form(revision: PlanRevision, section: RenderedSection, forms: dict[str, Any]) -> ReviewCommentForm:
    """The comment box under one section: the one just refused, with its message, or a fresh one."""
    label = f"section {section.number}"
    if forms.get("comment_section") == section.key and forms.get("comment_form") is not None:
        refused: ReviewCommentForm = forms["comment_form"]
        refused.fields["text"].label = f"Comment on {label}"
        return refused
    initial = {"revision": revision.number, "section": section.key}
    return ReviewCommentForm(initial=initial, section_label=label, auto_id=f"id_%s_{section.key}")


def _revision_under_review(plan: Plan) -> PlanRevision:
    revision = plan.revisions.order_by("-number").first()
    if revision is None:
        raise Http404("This plan has not been submitted yet.")
    return revision


@login_required
def plan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    forbidden_unless(plan.perms.can_review)
    revision = _revision_under_review(plan)
    return render(request, "plans/review_detail.html", _review_context(request, plan, revision))


@login_required
@require_POST
def plan_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    forbidden_unless(plan.perms.can_decide)
    form = DecisionForm(request.POST)
    review = reverse("plans:plan-review", args=[plan.pk])
    if not form.is_valid():
        revision = _revision_under_review(plan)
        context = _review_context(request, plan, revision, decision_form=form)
        return render(request, "plans/review_detail.html", context, status=400)
    approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
    try:
        workflow.plan_decide(
            plan_id=plan.pk,
            revision_number=form.cleaned_data["revision"],
            by=request.user,
            approve=approve,
            comment=form.cleaned_data["comment"],
        )
    except workflow.TransitionError as error:
        return transition_failed(request, plan, error, to=review)
    if approve:
        messages.success(request, f"Revision {form.cleaned_data['revision']} approved. The author has been told.")
    else:
        messages.success(request, "Changes requested. The author has been sent your comment.")
    return redirect(review)


@login_required
@require_POST
def review_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    forbidden_unless(plan.perms.can_decide)
    form = ReviewCommentForm(request.POST, auto_id=f"id_%s_{request.POST.get('section', '')}")
    review = reverse("plans:plan-review", args=[plan.pk])
    if not form.is_valid():
        revision = _revision_under_review(plan)
        context = _review_context(request, plan, revision, comment_form=form, comment_section=request.POST.get("section", ""))
        return render(request, "plans/review_detail.html", context, status=400)
    try:
        comment = create_once(
            form,
            lambda: workflow.review_comment_add(
                plan_id=plan.pk,
                revision_number=form.cleaned_data["revision"],
                by=request.user,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            ),
        )
    except AlreadySent as e:
        messages.info(request, str(e))
        return redirect(review)
    except workflow.TransitionError as error:
        return transition_failed(request, plan, error, to=review)
    messages.success(request, "Comment added.")
    section = SECTION_BY_KEY.get(comment.section)
    anchor = section.anchor if section else "decision"
    return redirect(f"{review}#{anchor}")


@login_required
def review_list(request: AuthedRequest) -> HttpResponse:
    home_ids = homes_with_role(request.user, {Role.APPROVER})
    return render(
        request,
        "plans/review_list.html",
        {"waiting": selectors.awaiting_review(request.user, home_ids), "is_approver": bool(home_ids)},
    )


# --- Transitions the manager makes ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    context = {"plan": plan, "plan_url": plan_url(plan), "action": "submit"}
    if request.method == "POST":
        try:
            revision = workflow.plan_submit(plan_id=plan.pk, by=request.user)
        except workflow.NotReady as error:
            messages.error(request, error.message)
            context["problems"] = error.problems
            return render(request, "plans/workflow_confirm.html", context, status=400)
        except workflow.TransitionError as error:
            return transition_failed(request, plan, error)
        messages.success(request, f"Revision {revision.number} submitted for approval. The home's approvers have been told.")
        return redirect(plan_url(plan))
    context["problems"] = readiness_problems(plan)
    context["material"] = workflow.material_changes(plan)
    context["in_force"] = (
        workflow.approved_revision(plan) if plan.status in (Plan.Status.APPROVED, Plan.Status.IN_PROGRESS) else None
    )
    return render(request, "plans/workflow_confirm.html", context)


def _simple_transition(request: AuthedRequest, pk: int, action: str, fn: Callable[..., Plan], done: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            fn(plan_id=plan.pk, by=request.user)
        except workflow.TransitionError as error:
            return transition_failed(request, plan, error)
        messages.success(request, done)
        return redirect(plan_url(plan))
    context = {"plan": plan, "plan_url": plan_url(plan), "action": action}
    if action == workflow.Action.EVALUATE:
        context["material"] = workflow.material_changes(plan)
    return render(request, "plans/workflow_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request: AuthedRequest, pk: int) -> HttpResponse:
    return _simple_transition(request, pk, workflow.Action.START, workflow.plan_start, "Implementation started.")


@login_required
@require_http_methods(["GET", "POST"])
def plan_evaluate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _simple_transition(request, pk, workflow.Action.EVALUATE, workflow.plan_evaluate, "The plan is now being evaluated.")


@login_required
@require_http_methods(["GET", "POST"])
def plan_close(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    # The final decision a part has recorded (from the evaluation's reviews) is offered first.
    form = CloseForm(request.POST if request.method == "POST" else None, initial={"outcome": recorded_outcome(plan)})
    context = {"plan": plan, "plan_url": plan_url(plan), "action": "close", "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "plans/workflow_confirm.html", context, status=400)
        try:
            workflow.plan_close(plan_id=plan.pk, by=request.user, outcome=form.cleaned_data["outcome"])
        except workflow.TransitionError as error:
            return transition_failed(request, plan, error)
        messages.success(request, "The plan is closed with its final decision recorded.")
        return redirect(plan_url(plan))
    context["material"] = workflow.material_changes(plan)
    return render(request, "plans/workflow_confirm.html", context)
