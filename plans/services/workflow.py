"""The plan lifecycle: the one module that changes Plan.status and Plan.outcome.

    draft / changes requested --submit--> in review --approve--> approved --start--> in progress
                       ^                     |                                         |
                       +--request changes----+                          evaluate       v
                                                           closed <--close(outcome)-- evaluating

Every transition locks the plan row (select_for_update), checks the role, the author rule,
the state and (for submit) readiness, changes the state, records the event on the audit
trail and, after commit, queues its email. Views, admin and commands call these functions;
TRANSITIONS below is the whole table, and tests/plans/test_workflow_table.py proves it.

Approval is of a revision. An approved plan stays editable: submitting again freezes a new
revision, and the approved one stays in force until a newer one is approved (it then
becomes "superseded").

Every transition also asks each plan part (plans.parts.transition_problems) and is refused
with the problems they list: a part may, say, refuse "close" without a final evaluation.

Adjustments during implementation. While in progress the manager records adjustments
(date, what changed, why, impact) without re-approval. What the approver signed off is
different: each part says what counts as material drift from the approved revision (the
plan part: budget, go-live date, objectives; the risk register: a residual risk above its
approved band), and such a change needs a new approved revision (see material_changes). We flag it
rather than forbid the edit (the manager needs to write the change down to submit it):
the plan page lists the material changes awaiting approval, the plan can be resubmitted
from "in progress" (and returns there when decided), and evaluate/close are refused while
unapproved material changes remain, so a plan cannot be evaluated against objectives or a
budget nobody approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet

from oakview.core.access import role_in
from oakview.core.audit import audit_record
from oakview.core.models import AuditEvent, Role, User
from oakview.core.outbox import outbox_enqueue
from plans.models import SECTION_CHOICES, Adjustment, Plan, PlanDecision, PlanRevision, ReviewComment
from plans.parts import Problem, build_snapshot, collect_drift, readiness_problems, recorded_outcome, transition_problems

from .notifications import notify_decided_task, notify_submitted_task

Status = Plan.Status


class TransitionError(Exception):
    """The transition is not allowed now (wrong state, stale page). Shown to the user."""

    forbidden = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionForbidden(TransitionError):
    """This user may never do this to this plan (role, or their own plan): a 403."""

    forbidden = True


class NotReady(TransitionError):
    def __init__(self, problems: list[Problem], message: str = "") -> None:
        super().__init__(message or "The plan is not ready to submit yet. Fix the items below, then submit again.")
        self.problems = problems


class CommentRequired(TransitionError):
    pass


class Action:
    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    START = "start"
    EVALUATE = "evaluate"
    CLOSE = "close"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button
    sources: frozenset[str]
    roles: frozenset[str]
    url_name: str


_MANAGER = frozenset({Role.MANAGER})
_APPROVER = frozenset({Role.APPROVER})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            "Submit for approval",
            # From approved / in progress: a change to an approved plan is a new revision.
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.IN_PROGRESS}),
            _MANAGER,
            "plans:plan-submit",
        ),
        Transition(Action.APPROVE, "Approve", frozenset({Status.IN_REVIEW}), _APPROVER, "plans:plan-review"),
        Transition(Action.REQUEST_CHANGES, "Request changes", frozenset({Status.IN_REVIEW}), _APPROVER, "plans:plan-review"),
        Transition(Action.START, "Start implementation", frozenset({Status.APPROVED}), _MANAGER, "plans:plan-start"),
        Transition(Action.EVALUATE, "Move to evaluation", frozenset({Status.IN_PROGRESS}), _MANAGER, "plans:plan-evaluate"),
        Transition(Action.CLOSE, "Close with a final decision", frozenset({Status.EVALUATING}), _MANAGER, "plans:plan-close"),
    )
}

_DECISIONS = {Action.APPROVE, Action.REQUEST_CHANGES}

_STATE_MESSAGES = {
    Action.SUBMIT: "This plan is {status} and cannot be submitted now.",
    Action.APPROVE: "This plan is {status}: there is no submitted revision to decide on (someone may have decided already).",
    Action.REQUEST_CHANGES: "This plan is {status}: there is no submitted revision to decide on (someone may have decided already).",
    Action.START: "Only an approved plan can be started; this one is {status}.",
    Action.EVALUATE: "Only a plan in progress can move to evaluation; this one is {status}.",
    Action.CLOSE: "Only a plan being evaluated can be closed; this one is {status}.",
}


# --- Who may do what ------------------------------------------------------------------------


def check(plan: Plan, action: str, user: User) -> None:
    """Raise TransitionForbidden (role, author) or TransitionError (state); else return."""
    transition = TRANSITIONS[action]
    role = role_in(user, plan.home_id)
    if role not in transition.roles:
        raise TransitionForbidden("Your role in this home does not allow this.")
    if action in _DECISIONS and is_own_plan(plan, user):
        raise TransitionForbidden("You wrote or submitted this plan, so someone else must decide on it.")
    if plan.status not in transition.sources:
        raise TransitionError(_STATE_MESSAGES[action].format(status=plan.get_status_display().lower()))


def can(plan: Plan, action: str, user: User) -> bool:
    try:
        check(plan, action, user)
    except TransitionError:
        return False
    return True


def allowed_transitions(plan: Plan, user: User) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if can(plan, t.action, user)]


def is_own_plan(plan: Plan, user: User) -> bool:
    """The author never decides on their plan, even holding the approver role; nor does
    whoever submitted the revision under review."""
    if plan.author_id == user.pk:
        return True
    return PlanRevision.objects.filter(plan=plan, status=PlanRevision.Status.SUBMITTED, submitted_by=user).exists()


# --- Reads the workflow relies on -----------------------------------------------------------


def approved_revision(plan: Plan) -> PlanRevision | None:
    """The revision in force: the newest approved one."""
    return plan.revisions.filter(status=PlanRevision.Status.APPROVED).order_by("-number").first()


def latest_revision(plan: Plan) -> PlanRevision | None:
    return plan.revisions.order_by("-number").first()


def plan_timeline(plan: Plan) -> QuerySet[AuditEvent]:
    """Every transition, decision and adjustment on the plan, newest first."""
    return AuditEvent.objects.for_object(plan).filter(action__startswith="plan.").select_related("actor")


def material_changes(plan: Plan, *, live: dict[str, Any] | None = None) -> list[str]:
    """What differs, materially, from the revision in force: every part's drift between the
    approved snapshot and the live plan's. Empty when nothing is approved yet: then
    everything is a draft."""
    revision = approved_revision(plan)
    if revision is None:
        return []
    drift = collect_drift(revision.snapshot, live if live is not None else build_snapshot(plan))
    return [d.message for d in drift if d.material]


# --- Transitions ----------------------------------------------------------------------------


def _lock(plan_id: int) -> Plan:
    # No select_related: on PostgreSQL that would lock the home and author rows too.
    plan: Plan = Plan.objects.select_for_update().get(pk=plan_id)
    return plan


def _check_parts(plan: Plan, action: str) -> None:
    """Every part may refuse a transition; the refusal lists what each asked for."""
    problems = [p for p in transition_problems(plan, action) if p.blocking]
    if problems:
        listed = "; ".join(p.message.rstrip(".") for p in problems)
        raise NotReady(problems, f"This cannot go ahead yet: {listed}.")


def _set_status(plan: Plan, status: str, *, outcome: str | None = None) -> None:
    plan.status = status
    fields = ["status", "version", "updated_at"]
    if outcome is not None:
        plan.outcome = outcome
        fields.append("outcome")
    # Bumping the version makes any edit form opened before the transition stale: its
    # conditional save (oakview.core.locking) is refused instead of writing the old status
    # back or slipping content into a plan already frozen for review.
    plan.version += 1
    plan.save(update_fields=fields)


def _audit(plan: Plan, by: User, action: str, summary: str, **detail: Any) -> None:
    audit_record(home_id=plan.home_id, actor=by, action=f"plan.{action}", summary=summary, target=plan, detail=detail)


def plan_submit(*, plan_id: int, by: User) -> PlanRevision:
    with transaction.atomic():
        plan = _lock(plan_id)
        check(plan, Action.SUBMIT, by)
        blocking = [p for p in readiness_problems(plan) + transition_problems(plan, Action.SUBMIT) if p.blocking]
        if blocking:
            raise NotReady(blocking)
        snapshot = build_snapshot(plan)
        in_force = approved_revision(plan)
        if in_force is not None and plan.status in (Status.APPROVED, Status.IN_PROGRESS):
            if _content(in_force.snapshot) == _content(snapshot):
                raise TransitionError(
                    f"Nothing has changed since revision {in_force.number} was approved, so there is nothing new to submit."
                )
        number = (plan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = PlanRevision.objects.create(
            plan=plan,
            number=number,
            schema=snapshot["schema"],
            snapshot=snapshot,
            submitted_by=by,
            submitted_from=plan.status,
        )
        _set_status(plan, Status.IN_REVIEW)
        _audit(plan, by, "submitted", f"Revision {number} submitted for approval by {by.display_name}", revision=number)
        outbox_enqueue(notify_submitted_task, revision_id=revision.pk)
    return revision


def _content(snapshot: dict[str, Any]) -> dict[str, Any]:
    # The plan's status is not content; everything else is.
    return {k: v for k, v in snapshot.items() if k != "schema"}


def plan_decide(*, plan_id: int, revision_number: int, by: User, approve: bool, comment: str = "") -> PlanDecision:
    """Approve, or request changes to, the submitted revision `revision_number`."""
    action = Action.APPROVE if approve else Action.REQUEST_CHANGES
    comment = (comment or "").strip()
    with transaction.atomic():
        plan = _lock(plan_id)
        check(plan, action, by)
        if not approve and not comment:
            raise CommentRequired("Say what needs to change: a comment is required when requesting changes.")
        _check_parts(plan, action)
        latest = latest_revision(plan)
        if latest is None or latest.status != PlanRevision.Status.SUBMITTED:
            raise TransitionError("There is no submitted revision awaiting a decision.")
        if latest.number != revision_number:
            raise TransitionError(
                f"Revision {revision_number} is not the latest submitted revision (revision {latest.number} is). "
                "Review the latest revision before deciding."
            )
        decision = PlanDecision.objects.create(
            revision=latest,
            approver=by,
            outcome=PlanDecision.Outcome.APPROVED if approve else PlanDecision.Outcome.CHANGES_REQUESTED,
            comment=comment,
        )
        in_force = approved_revision(plan)
        if approve:
            # Status is the only field the database lets change on a revision.
            plan.revisions.filter(status=PlanRevision.Status.APPROVED).update(status=PlanRevision.Status.SUPERSEDED)
            latest.status = PlanRevision.Status.APPROVED
            new_status: str = Status.IN_PROGRESS if latest.submitted_from == Status.IN_PROGRESS else Status.APPROVED
            summary = f"Revision {latest.number} approved by {by.display_name}"
        else:
            latest.status = PlanRevision.Status.CHANGES_REQUESTED
            # With an approved revision still in force the plan goes back to where it was
            # (approved or in progress); otherwise it is a draft to rework.
            new_status = latest.submitted_from if in_force is not None else Status.CHANGES_REQUESTED
            if new_status not in (Status.APPROVED, Status.IN_PROGRESS, Status.CHANGES_REQUESTED):
                new_status = Status.CHANGES_REQUESTED
            summary = f"Changes requested to revision {latest.number} by {by.display_name}"
        PlanRevision.objects.filter(pk=latest.pk).update(status=latest.status)
        _set_status(plan, new_status)
        _audit(plan, by, "approved" if approve else "changes_requested", summary, revision=latest.number, comment=comment)
        outbox_enqueue(notify_decided_task, decision_id=decision.pk)
    return decision


def plan_start(*, plan_id: int, by: User) -> Plan:
    with transaction.atomic():
        plan = _lock(plan_id)
        check(plan, Action.START, by)
        _check_parts(plan, Action.START)
        _set_status(plan, Status.IN_PROGRESS)
        _audit(plan, by, "started", f"Implementation started by {by.display_name}")
    return plan


def _refuse_unapproved_material_changes(plan: Plan, doing: str) -> None:
    pending = material_changes(plan)
    if pending:
        raise TransitionError(
            f"Changes to what was approved need approval before the plan can {doing}: "
            + "; ".join(pending)
            + ". Submit them for approval first."
        )


def plan_evaluate(*, plan_id: int, by: User) -> Plan:
    with transaction.atomic():
        plan = _lock(plan_id)
        check(plan, Action.EVALUATE, by)
        _refuse_unapproved_material_changes(plan, "move to evaluation")
        _check_parts(plan, Action.EVALUATE)
        _set_status(plan, Status.EVALUATING)
        _audit(plan, by, "evaluating", f"Moved to evaluation by {by.display_name}")
    return plan


def plan_close(*, plan_id: int, by: User, outcome: str) -> Plan:
    if outcome not in Plan.Outcome.values:
        raise TransitionError("Choose the final decision: embed, adjust, extend or revert.")
    with transaction.atomic():
        plan = _lock(plan_id)
        check(plan, Action.CLOSE, by)
        _refuse_unapproved_material_changes(plan, "close")
        _check_parts(plan, Action.CLOSE)
        recorded = recorded_outcome(plan)
        if recorded and recorded != outcome:
            raise TransitionError(
                f"The final decision recorded for this plan is “{Plan.Outcome(recorded).label}”. "
                "Close it with that decision, or change the recorded decision first."
            )
        _set_status(plan, Status.CLOSED, outcome=outcome)
        label = Plan.Outcome(outcome).label
        _audit(plan, by, "closed", f"Closed by {by.display_name}: {label.lower()}", outcome=outcome)
    return plan


# --- Records made along the way -------------------------------------------------------------


def adjustment_record(*, plan_id: int, by: User, date: dt.date, what_changed: str, reason: str, impact: str) -> Adjustment:
    with transaction.atomic():
        plan = _lock(plan_id)
        if role_in(by, plan.home_id) != Role.MANAGER:
            raise TransitionForbidden("Only the home's manager records adjustments.")
        if plan.status != Status.IN_PROGRESS:
            raise TransitionError("Adjustments are recorded while the plan is in progress.")
        adjustment = Adjustment.objects.create(
            plan=plan, date=date, what_changed=what_changed, reason=reason, impact=impact, recorded_by=by
        )
        _audit(
            plan, by, "adjustment", f"Adjustment recorded by {by.display_name}: {what_changed[:120]}", adjustment=adjustment.pk
        )
    return adjustment


def review_comment_add(*, plan_id: int, revision_number: int, by: User, section: str, text: str) -> ReviewComment:
    """An approver's comment on one section of the revision under review."""
    text = (text or "").strip()
    with transaction.atomic():
        plan = _lock(plan_id)
        if role_in(by, plan.home_id) != Role.APPROVER or is_own_plan(plan, by):
            raise TransitionForbidden("Only an approver reviewing this plan can comment on it.")
        revision = plan.revisions.filter(number=revision_number).first()
        if revision is None or revision.status != PlanRevision.Status.SUBMITTED:
            raise TransitionError("Comments are added to the revision under review; this one has been decided.")
        if section not in dict(SECTION_CHOICES):
            raise TransitionError("Choose the section the comment is about.")
        if not text:
            raise CommentRequired("Write the comment.")
        return ReviewComment.objects.create(revision=revision, section=section, author=by, text=text)
