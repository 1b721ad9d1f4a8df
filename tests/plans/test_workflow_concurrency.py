"""Two approvers decide at the same moment: exactly one decision lands, the other gets a
clear message. PostgreSQL only: its row lock is what serialises them (SQLite has no
SELECT ... FOR UPDATE)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from oakview.core.models import Role
from plans.models import Plan, PlanDecision
from plans.services import workflow
from tests.factories import member
from tests.services import require_postgres

from .workflow_helpers import ready_plan, submit

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_two_approvers_deciding_at_once_record_exactly_one_decision(personas):
    require_postgres()
    second_approver = member(personas.home, Role.APPROVER, "t-approver-2")
    plan = ready_plan(personas)
    submit(plan, personas)

    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def decide(name, user, approve):
        try:
            barrier.wait(timeout=10)
            results[name] = workflow.plan_decide(
                plan_id=plan.pk, revision_number=1, by=user, approve=approve, comment=f"{name} decides"
            )
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[name] = error
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [
        threading.Thread(target=decide, args=("first", personas.approver, True)),
        threading.Thread(target=decide, args=("second", second_approver, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    decisions = [r for r in results.values() if isinstance(r, PlanDecision)]
    refusals = [r for r in results.values() if isinstance(r, workflow.TransitionError)]
    assert len(decisions) == 1, results
    assert len(refusals) == 1, results
    assert "someone may have decided already" in refusals[0].message
    assert PlanDecision.objects.count() == 1
    plan.refresh_from_db()
    expected = Plan.Status.APPROVED if decisions[0].outcome == "approved" else Plan.Status.CHANGES_REQUESTED
    assert plan.status == expected
    assert connection.vendor == "postgresql"
