"""Staff and viewers read what was approved, in every format: the CSVs, the iCalendar feed,
the revision list and the adjustments. A change in review (or a plan never approved) stays
with the manager and the approvers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plans.models import Action, Plan, TrainingSession
from plans.services import calendar_token_reset
from tests.factories import ActionFactory, PlanFactory, TrainingSessionFactory

from .workflow_helpers import approve, ready_plan, submit

READERS = ["staff", "viewer"]
EDITORS = ["manager", "approver"]
SECRET = "Unapproved: close the day centre"


@pytest.fixture
def plan_in_review(personas) -> Plan:
    """Approved once, then changed (a new action, a new session, a renamed action) and
    submitted again: the change is in review, not approved."""
    plan = ready_plan(personas)
    first = TrainingSessionFactory(plan=plan, title="Tablet basics", starts_at=timezone.make_aware(dt.datetime(2027, 1, 5, 10)))
    first.attendees.add(personas.staff)
    submit(plan, personas)
    approve(plan, personas)
    Action.objects.filter(plan=plan).update(title=f"{SECRET} (renamed)")
    ActionFactory(plan=plan, title=SECRET, owner=personas.staff, due_date=dt.date(2027, 1, 20))
    session = TrainingSessionFactory(plan=plan, title=SECRET, starts_at=timezone.make_aware(dt.datetime(2027, 1, 6, 10)))
    session.attendees.add(personas.staff)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_PROGRESS)
    submit(plan, personas)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW
    return plan


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("feed", ["actions.csv", "training.csv"])
def test_readers_get_the_approved_rows_in_the_csvs(personas, plan_in_review, who, feed):
    response = personas.client(getattr(personas, who)).get(f"/plans/{plan_in_review.pk}/{feed}")
    assert response.status_code == 200
    text = response.content.decode()
    assert SECRET not in text
    assert ("Order tablets" if feed == "actions.csv" else "Tablet basics") in text


@pytest.mark.parametrize("who", EDITORS)
def test_the_manager_and_approvers_get_the_live_rows(personas, plan_in_review, who):
    text = personas.client(getattr(personas, who)).get(f"/plans/{plan_in_review.pk}/actions.csv").content.decode()
    assert SECRET in text


def test_the_calendar_of_a_reader_holds_only_approved_rows(personas, plan_in_review):
    token = calendar_token_reset(user=personas.staff)
    text = personas.client(None).get(f"/calendar/{token}.ics").content.decode()
    assert "Order tablets" in text and "Tablet basics" in text
    assert "Unapproved" not in text


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("page", ["revisions", "adjustments"])
def test_a_never_approved_plan_shows_readers_nothing(personas, who, page):
    draft = PlanFactory(home=personas.home, author=personas.manager, title="Secret restructure")
    response = personas.client(getattr(personas, who)).get(f"/plans/{draft.pk}/{page}/")
    assert response.status_code in (403, 404)
    assert "Secret restructure" not in response.content.decode()


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("feed", ["actions.csv", "training.csv"])
def test_a_never_approved_plan_has_no_csv_for_readers(personas, who, feed):
    draft = PlanFactory(home=personas.home, author=personas.manager)
    ActionFactory(plan=draft, title=SECRET)
    assert personas.client(getattr(personas, who)).get(f"/plans/{draft.pk}/{feed}").status_code == 403


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_approved_revisions_but_not_the_one_in_review(personas, plan_in_review, who):
    client = personas.client(getattr(personas, who))
    listing = client.get(f"/plans/{plan_in_review.pk}/revisions/")
    assert listing.status_code == 200
    assert f"/plans/{plan_in_review.pk}/revisions/1/" in listing.text
    assert f"/plans/{plan_in_review.pk}/revisions/2/" not in listing.text
    assert client.get(f"/plans/{plan_in_review.pk}/revisions/2/").status_code == 403
    assert client.get(f"/plans/{plan_in_review.pk}/adjustments/").status_code == 200


def test_models_used_here_exist():
    assert TrainingSession and Action
