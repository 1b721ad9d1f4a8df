"""The plan state machine as a table: (from state, action, role) → allowed.

Two proofs: every combination through workflow.check (the rule the buttons and views use),
and a table of real transitions run end to end, asserting the state each one leaves.
"""

from __future__ import annotations

import itertools

import pytest

from oakview.core.models import Membership, Role
from plans.models import Plan, PlanDecision, PlanRevision
from plans.services import workflow
from tests.evaluation.factories import record_decision
from tests.factories import member

from .workflow_helpers import approve, close, ready_plan, refresh, request_changes, submit

S = Plan.Status
A = workflow.Action
ROLES = ("manager", "approver", "staff", "viewer", "author-approver")

# Everything allowed; every other (state, action, role) is refused.
ALLOWED = {
    (S.DRAFT, A.SUBMIT, "manager"),
    (S.CHANGES_REQUESTED, A.SUBMIT, "manager"),
    (S.APPROVED, A.SUBMIT, "manager"),
    (S.IN_PROGRESS, A.SUBMIT, "manager"),
    (S.IN_REVIEW, A.APPROVE, "approver"),
    (S.IN_REVIEW, A.REQUEST_CHANGES, "approver"),
    (S.APPROVED, A.START, "manager"),
    (S.IN_PROGRESS, A.EVALUATE, "manager"),
    (S.EVALUATING, A.CLOSE, "manager"),
}


@pytest.fixture
def cast(personas):
    """The plan's author is "author-approver": an approver who wrote it (the manager still
    submits). The other roles are Oak View's personas."""
    author = member(personas.home, Role.APPROVER, "t-author-approver")
    plan = ready_plan(personas, author=author)
    users = {
        "manager": personas.manager,
        "approver": personas.approver,
        "staff": personas.staff,
        "viewer": personas.viewer,
        "author-approver": author,
    }
    return plan, users


def test_every_state_action_and_role_against_the_table(cast):
    plan, users = cast
    mismatches = []
    for state, action, role in itertools.product(S.values, workflow.TRANSITIONS, ROLES):
        plan.status = state
        allowed = workflow.can(plan, action, users[role])
        if allowed != ((state, action, role) in ALLOWED):
            mismatches.append((state, action, role, allowed))
    assert mismatches == []


def test_role_failures_are_forbidden_and_state_failures_are_not(cast):
    plan, users = cast
    plan.status = S.DRAFT
    with pytest.raises(workflow.TransitionForbidden):
        workflow.check(plan, A.SUBMIT, users["staff"])
    with pytest.raises(workflow.TransitionForbidden):
        workflow.check(plan, A.APPROVE, users["author-approver"])  # whatever the state
    plan.status = S.IN_REVIEW
    with pytest.raises(workflow.TransitionError) as wrong_state:
        workflow.check(plan, A.SUBMIT, users["manager"])
    assert not wrong_state.value.forbidden
    assert "in review" in wrong_state.value.message


# --- The same table, run for real ---------------------------------------------------------------


def _into(plan, personas, state):
    """Take a ready plan to `state` through the workflow itself."""
    steps = {
        S.DRAFT: [],
        S.IN_REVIEW: ["submit"],
        S.CHANGES_REQUESTED: ["submit", "request"],
        S.APPROVED: ["submit", "approve"],
        S.IN_PROGRESS: ["submit", "approve", "start"],
        S.EVALUATING: ["submit", "approve", "start", "evaluate"],
        S.CLOSED: ["submit", "approve", "start", "evaluate", "close"],
    }[state]
    for step in steps:
        if step == "submit":
            submit(plan, personas)
        elif step == "request":
            request_changes(plan, personas)
        elif step == "approve":
            approve(plan, personas)
        elif step == "start":
            workflow.plan_start(plan_id=plan.pk, by=personas.manager)
        elif step == "evaluate":
            workflow.plan_evaluate(plan_id=plan.pk, by=personas.manager)
        elif step == "close":
            close(plan, personas, Plan.Outcome.EMBED)
    assert refresh(plan).status == state


def _do(plan, action, user):
    latest = plan.revisions.order_by("-number").first()
    number = latest.number if latest else 1
    if action == A.SUBMIT:
        return workflow.plan_submit(plan_id=plan.pk, by=user)
    if action in (A.APPROVE, A.REQUEST_CHANGES):
        return workflow.plan_decide(
            plan_id=plan.pk, revision_number=number, by=user, approve=action == A.APPROVE, comment="Because."
        )
    if action == A.START:
        return workflow.plan_start(plan_id=plan.pk, by=user)
    if action == A.EVALUATE:
        return workflow.plan_evaluate(plan_id=plan.pk, by=user)
    record_decision(plan, Plan.Outcome.EXTEND)  # the evaluation part's close check asks for it
    return workflow.plan_close(plan_id=plan.pk, by=user, outcome=Plan.Outcome.EXTEND)


# (from, action, role, state after; None = refused, plan unchanged)
TABLE = [
    (S.DRAFT, A.SUBMIT, "manager", S.IN_REVIEW),
    (S.DRAFT, A.SUBMIT, "approver", None),
    (S.DRAFT, A.SUBMIT, "staff", None),
    (S.DRAFT, A.SUBMIT, "viewer", None),
    (S.DRAFT, A.APPROVE, "approver", None),
    (S.DRAFT, A.START, "manager", None),
    (S.IN_REVIEW, A.SUBMIT, "manager", None),  # double submit
    (S.IN_REVIEW, A.APPROVE, "approver", S.APPROVED),
    (S.IN_REVIEW, A.REQUEST_CHANGES, "approver", S.CHANGES_REQUESTED),
    (S.IN_REVIEW, A.APPROVE, "manager", None),
    (S.IN_REVIEW, A.APPROVE, "staff", None),
    (S.IN_REVIEW, A.APPROVE, "viewer", None),
    (S.IN_REVIEW, A.APPROVE, "author-approver", None),
    (S.IN_REVIEW, A.REQUEST_CHANGES, "author-approver", None),
    (S.CHANGES_REQUESTED, A.SUBMIT, "manager", S.IN_REVIEW),
    (S.CHANGES_REQUESTED, A.APPROVE, "approver", None),
    (S.CHANGES_REQUESTED, A.START, "manager", None),
    (S.APPROVED, A.APPROVE, "approver", None),  # approving twice
    (S.APPROVED, A.START, "manager", S.IN_PROGRESS),
    (S.APPROVED, A.START, "approver", None),
    (S.APPROVED, A.EVALUATE, "manager", None),
    (S.IN_PROGRESS, A.EVALUATE, "manager", S.EVALUATING),
    (S.IN_PROGRESS, A.EVALUATE, "staff", None),
    (S.IN_PROGRESS, A.CLOSE, "manager", None),
    (S.EVALUATING, A.CLOSE, "manager", S.CLOSED),
    (S.EVALUATING, A.CLOSE, "viewer", None),
    (S.EVALUATING, A.SUBMIT, "manager", None),
    (S.CLOSED, A.SUBMIT, "manager", None),
    (S.CLOSED, A.START, "manager", None),
    (S.CLOSED, A.EVALUATE, "manager", None),
]


@pytest.mark.parametrize(("state", "action", "role", "after"), TABLE, ids=lambda v: str(v))
def test_transition_table(personas, state, action, role, after):
    plan = ready_plan(personas)
    users = {
        "manager": personas.manager,
        "approver": personas.approver,
        "staff": personas.staff,
        "viewer": personas.viewer,
        "author-approver": personas.manager,
    }
    _into(plan, personas, state)
    if role == "author-approver":
        # The manager who wrote the plan is promoted to approver: still may not decide on it.
        Membership.objects.filter(user=personas.manager, home=personas.home).update(role=Role.APPROVER)
        personas.manager._oakview_roles = None
    decisions_before = PlanDecision.objects.count()
    revisions_before = PlanRevision.objects.count()
    if after is None:
        with pytest.raises(workflow.TransitionError):
            _do(plan, action, users[role])
        assert refresh(plan).status == state
        assert PlanDecision.objects.count() == decisions_before
        assert PlanRevision.objects.count() == revisions_before
    else:
        _do(plan, action, users[role])
        assert refresh(plan).status == after
