"""CSV downloads and the personal iCalendar feed."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from plans.models import PlanRevision
from plans.parts import build_snapshot
from tests.factories import ActionFactory, PlanFactory, TrainingSessionFactory


@pytest.fixture
def plan(personas):
    return PlanFactory(home=personas.home, author=personas.manager, title="Digital care records")


def _rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_actions_csv_lists_every_action_and_defuses_formulas(personas, plan):
    ActionFactory(plan=plan, title="Order tablets", owner=personas.staff, due_date=dt.date(2027, 1, 10))
    ActionFactory(plan=plan, title='=HYPERLINK("http://evil")')
    response = personas.client(personas.approver).get(f"/plans/{plan.pk}/actions.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="digital-care-records-actions.csv"' in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:5] == ["Action", "Description", "Owner", "Due", "Status"]
    assert ["Order tablets", "", "Priya Sharma", "10/01/2027", "Not started"] == rows[1][:5]
    assert rows[2][0].startswith("'=")  # a spreadsheet shows it as text, never runs it


def test_training_csv_includes_cover_for_the_day(personas, plan):
    session = TrainingSessionFactory(plan=plan, title="Basics", duration_hours=Decimal("3"))
    session.attendees.set([personas.staff, personas.manager, personas.viewer])
    rows = _rows(personas.client(personas.manager).get(f"/plans/{plan.pk}/training.csv"))
    assert rows[1][0] == "Basics" and rows[1][1] == "12/01/2027" and rows[1][2] == "09:00"
    assert rows[1][-3:] == ["87.00", "90.00", "3.00"]


def test_calendar_link_is_made_revoked_and_replaced(personas, plan, client):
    ActionFactory(plan=plan, owner=personas.staff, title="Order tablets, cases; chargers", due_date=dt.date(2027, 1, 10))
    session = TrainingSessionFactory(plan=plan, title="Basics")
    session.attendees.set([personas.staff])
    ActionFactory(plan=plan, owner=personas.manager, title="Someone else's")
    # Staff read approved content only, in the feed too: approve what is there.
    snapshot = build_snapshot(plan)
    PlanRevision.objects.create(
        plan=plan, number=1, schema=snapshot["schema"], snapshot=snapshot, submitted_by=personas.manager, status="approved"
    )
    c = personas.client(personas.staff)
    assert "Make my calendar link" in c.get("/calendar/").text
    c.post("/calendar/", {"do": "reset"})
    personas.staff.refresh_from_db()
    token = personas.staff.calendar_token
    assert len(token) >= 40
    feed = client.get(f"/calendar/{token}.ics")  # no sign-in: calendar apps cannot
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Due: Order tablets\\, cases\\; chargers" in text
    assert "DTSTART;VALUE=DATE:20270110" in text
    assert "SUMMARY:Training: Basics" in text and "DTSTART:20270112T090000Z" in text
    assert "Someone else" not in text
    c.post("/calendar/", {"do": "reset"})
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    personas.staff.refresh_from_db()
    new = personas.staff.calendar_token
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    c.post("/calendar/", {"do": "revoke"})
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_csv_needs_membership(personas, plan, client):
    assert personas.client(personas.stranger).get(f"/plans/{plan.pk}/actions.csv").status_code == 404
    assert client.get(f"/plans/{plan.pk}/training.csv").status_code == 302
