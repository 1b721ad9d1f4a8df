"""Fewer round trips: owners and due dates for many actions in one step."""

from __future__ import annotations

import datetime as dt

from plans.models import Action, Plan
from tests.factories import ActionFactory
from tests.plans.workflow_helpers import ready_plan


def test_bulk_assign_gives_the_ticked_actions_an_owner_and_date_and_clears_the_checklist(personas):
    plan = ready_plan(personas)
    a = ActionFactory(plan=plan, title="Book the trainer", owner=None, due_date=None)
    b = ActionFactory(plan=plan, title="Print the downtime packs", owner=None, due_date=None)
    untouched = ActionFactory(plan=plan, title="Buy chargers", owner=None, due_date=None)
    c = personas.client(personas.manager)
    page = c.get(f"/plans/{plan.pk}/sections/planning/").text
    assert 'id="bulk-actions"' in page and f'id="pick-{a.pk}"' in page
    response = c.post(
        f"/plans/{plan.pk}/actions/bulk/",
        {"actions": [a.pk, b.pk], "owner": personas.staff.pk, "due_date": "2027-01-15"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#rows-action"
    for action in (a, b):
        action.refresh_from_db()
        assert (action.owner, action.due_date) == (personas.staff, dt.date(2027, 1, 15))
    untouched.refresh_from_db()
    assert untouched.owner is None
    # The section's checklist comes back with the response: only the untouched one is left.
    assert "“Buy chargers” needs an owner and a due date" in response.text
    assert "Book the trainer” needs" not in response.text


def test_bulk_assign_explains_what_is_missing_and_changes_nothing(personas):
    plan = ready_plan(personas)
    a = ActionFactory(plan=plan, title="Book the trainer", owner=None, due_date=None)
    c = personas.client(personas.manager)
    response = c.post(f"/plans/{plan.pk}/actions/bulk/", {"actions": [a.pk]}, headers={"HX-Request": "true"})
    assert "Choose an owner or a due date to give the selected actions." in response.text
    response = c.post(f"/plans/{plan.pk}/actions/bulk/", {"owner": personas.staff.pk}, headers={"HX-Request": "true"})
    assert "Tick the actions to change first." in response.text
    response = c.post(
        f"/plans/{plan.pk}/actions/bulk/", {"actions": [a.pk], "owner": personas.viewer.pk}, headers={"HX-Request": "true"}
    )
    assert "managers and staff" in response.text
    a.refresh_from_db()
    assert a.owner is None


def test_bulk_assign_is_for_the_manager_and_this_plan_only(personas):
    plan = ready_plan(personas)
    other = ready_plan(personas, title="Another plan")
    theirs = Action.objects.filter(plan=other).first()
    c = personas.client(personas.manager)
    c.post(f"/plans/{plan.pk}/actions/bulk/", {"actions": [theirs.pk], "due_date": "2027-02-01"})
    theirs.refresh_from_db()
    assert theirs.due_date != dt.date(2027, 2, 1)  # not an action of this plan: refused
    staff = personas.client(personas.staff)
    assert staff.post(f"/plans/{plan.pk}/actions/bulk/", {"actions": [theirs.pk], "due_date": "2027-02-01"}).status_code == 403
    assert personas.client(personas.stranger).post(f"/plans/{plan.pk}/actions/bulk/", {}).status_code == 404
    assert Plan.objects.count() == 2
