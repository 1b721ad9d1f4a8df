"""Revisions, decisions and the lifecycle beyond the table: what each transition leaves behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.db import IntegrityError, connection, transaction

from oakview.core.models import AuditEvent
from plans.models import Plan, PlanDecision, PlanRevision
from plans.models.revisions import ImmutableRevision
from plans.services import workflow
from tests.factories import ResourceFactory

from .workflow_helpers import approve, close, ready_plan, refresh, request_changes, submit


def test_submit_freezes_a_numbered_revision_with_the_whole_snapshot(personas):
    plan = ready_plan(personas)
    revision = submit(plan, personas)
    assert revision.number == 1
    assert revision.status == PlanRevision.Status.SUBMITTED
    assert revision.submitted_by == personas.manager
    assert revision.snapshot["schema"] == revision.schema == 1
    assert revision.snapshot["plan"]["title"] == "Digital care planning"
    assert [r["description"] for r in revision.snapshot["plan"]["resources"]] == ["Tablets", "Licences", "Trainer days"]
    assert refresh(plan).status == Plan.Status.IN_REVIEW
    assert not plan.can_edit_content()


def test_submit_refused_with_reasons_while_not_ready(personas):
    plan = ready_plan(personas)
    plan.narrative_support = ""
    plan.save()
    plan.actions.update(owner=None)
    with pytest.raises(workflow.NotReady) as refused:
        submit(plan, personas)
    messages = [p.message for p in refused.value.problems]
    assert any("Section 3 (Gaining Support) has no narrative" in m for m in messages)
    assert any("\u201cOrder tablets\u201d needs an owner" in m for m in messages)
    assert all(p.blocking for p in refused.value.problems)  # the word-count warning does not block
    assert refresh(plan).status == Plan.Status.DRAFT
    assert not plan.revisions.exists()


def test_decision_is_a_record_and_on_the_timeline_with_its_revision(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    decision = request_changes(plan, personas, "Show the night-shift cover.")
    assert (decision.approver, decision.outcome, decision.comment) == (
        personas.approver,
        PlanDecision.Outcome.CHANGES_REQUESTED,
        "Show the night-shift cover.",
    )
    assert decision.revision.status == PlanRevision.Status.CHANGES_REQUESTED
    assert refresh(plan).status == Plan.Status.CHANGES_REQUESTED
    events = list(workflow.plan_timeline(plan).values_list("action", "actor__username", "detail"))
    assert events[0] == ("plan.changes_requested", "t-approver", {"revision": 1, "comment": "Show the night-shift cover."})
    assert events[1] == ("plan.submitted", "t-manager", {"revision": 1})


def test_request_changes_needs_a_comment(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    with pytest.raises(workflow.CommentRequired):
        request_changes(plan, personas, "   ")
    assert refresh(plan).status == Plan.Status.IN_REVIEW
    assert not PlanDecision.objects.exists()


def test_resubmission_after_approval_is_a_new_revision_and_the_old_stays_in_force(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    ResourceFactory(plan=plan, description="Spare chargers", unit_cost=Decimal("15.00"))
    second = submit(plan, personas)
    assert second.number == 2
    assert workflow.approved_revision(plan).number == 1  # still in force while 2 is reviewed
    request_changes(plan, personas, "Chargers are already in stock.")
    assert workflow.approved_revision(plan).number == 1
    assert refresh(plan).status == Plan.Status.APPROVED  # back to where it was: 1 is in force
    third = submit(plan, personas)
    approve(plan, personas)
    statuses = dict(plan.revisions.values_list("number", "status"))
    assert statuses == {1: "superseded", 2: "changes_requested", 3: "approved"}
    assert workflow.approved_revision(plan) == third


def test_resubmitting_an_unchanged_approved_plan_is_refused(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    with pytest.raises(workflow.TransitionError, match="Nothing has changed since revision 1"):
        submit(plan, personas)


def test_approving_a_revision_that_is_not_the_latest_submitted_is_refused(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    request_changes(plan, personas)
    plan.narrative_need += " Night staff asked for more training."
    plan.save()
    submit(plan, personas)
    with pytest.raises(workflow.TransitionError, match="Revision 1 is not the latest submitted revision"):
        workflow.plan_decide(plan_id=plan.pk, revision_number=1, by=personas.approver, approve=True)
    assert PlanDecision.objects.count() == 1
    assert refresh(plan).status == Plan.Status.IN_REVIEW


def test_deciding_twice_records_exactly_one_decision(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    with pytest.raises(workflow.TransitionError, match="no submitted revision"):
        approve(plan, personas)
    assert PlanDecision.objects.count() == 1


def test_edits_in_progress_to_budget_go_live_or_objectives_need_a_new_approved_revision(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    assert workflow.material_changes(refresh(plan)) == []
    plan.go_live_date = dt.date(2027, 2, 15)
    plan.save()
    ResourceFactory(plan=plan, description="Extra tablet", quantity=Decimal("1"), unit_cost=Decimal("250.00"))
    assert workflow.material_changes(plan) == [
        "Budget: £1,480.00 approved, now £1,730.00",
        "Go-live date: 1 Feb 2027 approved, now 15 Feb 2027",
    ]
    with pytest.raises(workflow.TransitionError, match="need approval before the plan can move to evaluation"):
        workflow.plan_evaluate(plan_id=plan.pk, by=personas.manager)
    revision = submit(plan, personas)
    assert revision.submitted_from == Plan.Status.IN_PROGRESS
    approve(plan, personas)
    assert refresh(plan).status == Plan.Status.IN_PROGRESS  # back to work, under revision 2
    assert workflow.material_changes(plan) == []
    workflow.plan_evaluate(plan_id=plan.pk, by=personas.manager)
    close(plan, personas, Plan.Outcome.EMBED)
    plan = refresh(plan)
    assert (plan.status, plan.outcome) == (Plan.Status.CLOSED, Plan.Outcome.EMBED)


def test_adjustments_are_recorded_in_progress_without_reapproval(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    with pytest.raises(workflow.TransitionError, match="while the plan is in progress"):
        workflow.adjustment_record(
            plan_id=plan.pk, by=personas.manager, date=dt.date(2027, 1, 5), what_changed="x", reason="y", impact="z"
        )
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    adjustment = workflow.adjustment_record(
        plan_id=plan.pk,
        by=personas.manager,
        date=dt.date(2027, 1, 5),
        what_changed="Night-shift training moved to Tuesday",
        reason="Agency cover fell through",
        impact="None: still before go-live",
    )
    assert adjustment.recorded_by == personas.manager
    assert refresh(plan).status == Plan.Status.IN_PROGRESS
    assert plan.revisions.count() == 1
    with pytest.raises(workflow.TransitionForbidden):
        workflow.adjustment_record(
            plan_id=plan.pk, by=personas.staff, date=dt.date(2027, 1, 5), what_changed="x", reason="y", impact="z"
        )


def test_transitions_bump_the_plan_version_so_open_edit_forms_go_stale(personas):
    plan = ready_plan(personas)
    before = plan.version
    submit(plan, personas)
    assert refresh(plan).version == before + 1


def test_every_transition_is_on_the_audit_trail(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas, "Good plan.")
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    workflow.plan_evaluate(plan_id=plan.pk, by=personas.manager)
    close(plan, personas, Plan.Outcome.REVERT)
    summaries = list(AuditEvent.objects.for_object(plan).order_by("id").values_list("summary", flat=True))
    assert summaries == [
        "Revision 1 submitted for approval by Sarah Okafor",
        "Revision 1 approved by David Hughes",
        "Implementation started by Sarah Okafor",
        "Moved to evaluation by Sarah Okafor",
        "Closed by Sarah Okafor: revert",
    ]


# --- Immutability -----------------------------------------------------------------------------


def test_revision_snapshot_cannot_change_through_the_model(personas):
    plan = ready_plan(personas)
    revision = submit(plan, personas)
    revision.snapshot = {**revision.snapshot, "plan": {**revision.snapshot["plan"], "title": "Rewritten"}}
    with pytest.raises(ImmutableRevision):
        revision.save()
    with pytest.raises(ImmutableRevision):
        PlanRevision.objects.get(pk=revision.pk).delete()


def test_revision_cannot_change_in_the_database_either(personas):
    plan = ready_plan(personas)
    revision = submit(plan, personas)
    for change in ({"snapshot": {"schema": 1}}, {"number": 7}, {"schema": 2}):
        with pytest.raises(IntegrityError if connection.vendor == "postgresql" else Exception, match="cannot be changed"):
            with transaction.atomic():
                PlanRevision.objects.filter(pk=revision.pk).update(**change)
    with pytest.raises(Exception, match="cannot be deleted"):
        with transaction.atomic():
            PlanRevision.objects.filter(pk=revision.pk).delete()
    with pytest.raises(IntegrityError, match="cannot be deleted|plans_revisionseal"):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM plans_planrevision WHERE id = %s", [revision.pk])
            # What the commit checks (SQLite defers it there; PostgreSQL's trigger refused already).
            connection.check_constraints(table_names=["plans_revisionseal"])
    # Only the review status may change.
    PlanRevision.objects.filter(pk=revision.pk).update(status=PlanRevision.Status.APPROVED)
    stored = PlanRevision.objects.get(pk=revision.pk)
    assert stored.snapshot == revision.snapshot
    assert stored.number == 1


def test_the_command_goes_through_the_same_checks(personas):
    plan = ready_plan(personas)
    out = StringIO()
    call_command("plan_transition", plan.pk, "submit", user=personas.manager.username, stdout=out)
    assert "Revision 1 submitted." in out.getvalue()
    with pytest.raises(CommandError, match="Your role in this home does not allow this."):
        call_command("plan_transition", plan.pk, "approve", user=personas.staff.username)
    call_command("plan_transition", plan.pk, "approve", user=personas.approver.username, comment="Fine.", stdout=out)
    assert refresh(plan).status == Plan.Status.APPROVED


@pytest.mark.django_db(transaction=True)
def test_a_raw_delete_of_a_revision_fails_when_it_commits(personas):
    plan = ready_plan(personas)
    revision = submit(plan, personas)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM plans_planrevision WHERE id = %s", [revision.pk])
    assert PlanRevision.objects.filter(pk=revision.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_djangos_own_flush_empties_a_database_holding_revisions(personas):
    """The test runner empties the database between transactional tests with Django's flush,
    not a replacement: the seals go in the same transaction as the revisions they guard."""

    assert get_commands()["flush"] == "django.core"
    plan = ready_plan(personas)
    submit(plan, personas)
    call_command("flush", interactive=False, verbosity=0)
    assert not PlanRevision.objects.exists() and not Plan.objects.exists()
