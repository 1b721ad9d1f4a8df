"""The part hooks plans consumes beyond snapshot, readiness and appendices: a part's own diff
lines, its lines in the daily reminder, the final decision it records for closing a plan, and
the stylesheets its fragments need. Each proven with a part that lives only in this test."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from plans.models import Plan
from plans.parts import Change, PlanPart, register_part, unregister_part
from plans.services import TransitionError, workflow
from plans.services.notifications import send_overdue_reminders
from plans.snapshot.diff import diff_snapshots
from tests.evaluation.factories import record_decision
from tests.plans.workflow_helpers import approve, ready_plan, refresh, submit

pytestmark = pytest.mark.django_db


class LedgerPart(PlanPart):
    key = "ledger"
    title = "Ledger"
    stylesheets = ("css/ledger.css",)
    outcome: str | None = None
    due: dict[int, list[str]] = {}  # noqa: RUF012 - one test's state

    def snapshot(self, plan):
        return {"entries": [{"id": 1, "title": "Opening balance"}], "noise": dt.date.today().isoformat()}

    def diff(self, old, new):
        if old == new:
            return []
        return [Change(self.key, "changed", "Ledger: entries moved", [])]

    def reminder_lines(self, today):
        return self.due

    def recorded_outcome(self, plan):
        return self.outcome


@pytest.fixture
def ledger():
    part = LedgerPart()
    part.due = {}
    register_part(part)
    yield part
    unregister_part(part.key)


def test_a_part_words_its_own_diff_lines(ledger):
    old = {"schema": 1, "ledger": {"entries": [], "noise": "2026-01-01"}}
    new = {"schema": 1, "ledger": {"entries": [{"id": 1}], "noise": "2026-02-01"}}
    changes = diff_snapshots(old, new)
    assert [c.label for c in changes] == ["Ledger: entries moved"]


def test_a_part_that_keeps_the_generic_diff_still_gets_it():
    old = {"schema": 1, "unknown": [{"id": 1, "title": "A"}]}
    new = {"schema": 1, "unknown": [{"id": 1, "title": "B"}]}
    assert [c.kind for c in diff_snapshots(old, new)] == ["changed"]


def test_the_daily_reminder_carries_a_parts_lines_even_with_no_overdue_action(
    ledger, personas, mailoutbox, django_capture_on_commit_callbacks
):
    ledger.due = {personas.staff.pk: ["Send the night team's weekly update (due 3 days ago)"]}
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_overdue_reminders(today=dt.date(2026, 12, 1))
    assert sent == 1
    (mail,) = mailoutbox
    assert mail.to == [personas.staff.email]
    assert "Send the night team's weekly update" in mail.body
    assert mail.subject == "Things waiting for you in Oakview"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders(today=dt.date(2026, 12, 1)) == 0  # once a day


def _evaluating(personas) -> Plan:
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    workflow.plan_evaluate(plan_id=plan.pk, by=personas.manager)
    record_decision(plan, Plan.Outcome.EMBED)  # the evaluation part's three-month decision agrees
    return refresh(plan)


def test_closing_with_another_outcome_than_the_recorded_one_is_refused(ledger, personas):
    plan = _evaluating(personas)
    ledger.outcome = Plan.Outcome.EMBED
    with pytest.raises(TransitionError, match="recorded for this plan is “Embed”"):
        workflow.plan_close(plan_id=plan.pk, by=personas.manager, outcome=Plan.Outcome.REVERT)
    assert refresh(plan).status == Plan.Status.EVALUATING
    workflow.plan_close(plan_id=plan.pk, by=personas.manager, outcome=Plan.Outcome.EMBED)
    assert refresh(plan).status == Plan.Status.CLOSED


def test_the_close_page_offers_the_recorded_outcome(ledger, personas):
    plan = _evaluating(personas)
    ledger.outcome = Plan.Outcome.EXTEND
    record_decision(plan, Plan.Outcome.EXTEND)  # the evaluation part's decision, changed to agree
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/close/")
    assert page.status_code == 200
    radios = re.findall(r'<input[^>]*name="outcome"[^>]*>', page.text)
    assert [re.search(r'value="(\w+)"', r)[1] for r in radios if " checked" in r] == ["extend"]


def test_every_page_links_the_stylesheets_parts_declare(ledger, personas):
    page = personas.client(personas.manager).get("/")
    assert "/static/css/ledger.css" in page.text
