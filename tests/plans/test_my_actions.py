"""My actions: staff see their own actions across homes and may change status and add a note, nothing else."""

import datetime as dt

import pytest
import time_machine

from oakview.core.models import Role
from plans.models import Action, ActionUpdate, Plan
from tests.factories import ActionFactory, CareHomeFactory, PlanFactory, member

TODAY = dt.date(2027, 1, 20)


@pytest.fixture
def plan(personas):
    return PlanFactory(home=personas.home, author=personas.manager, title="Digital care records")


@time_machine.travel(dt.datetime(2027, 1, 20, 12, 0), tick=False)
def test_grouped_overdue_first_then_due_soon_later_and_done(personas, plan):
    staff = personas.staff
    ActionFactory(plan=plan, owner=staff, title="Later job", due_date=TODAY + dt.timedelta(days=30))
    ActionFactory(plan=plan, owner=staff, title="Soon job", due_date=TODAY + dt.timedelta(days=3))
    ActionFactory(plan=plan, owner=staff, title="Late job", due_date=TODAY - dt.timedelta(days=2))
    ActionFactory(plan=plan, owner=staff, title="Finished job", due_date=TODAY - dt.timedelta(days=5), status=Action.Status.DONE)
    ActionFactory(plan=plan, owner=personas.manager, title="Not mine")
    page = personas.client(staff).get("/actions/").text
    order = [page.index(t) for t in ("Late job", "Soon job", "Later job", "Finished job")]
    assert order == sorted(order)
    assert "Not mine" not in page
    overdue_section = page[page.index('id="overdue-heading"') : page.index('id="soon-heading"')]
    assert "Late job" in overdue_section and "Finished job" not in overdue_section


def test_actions_from_every_home_the_user_belongs_to(personas, plan):
    second = CareHomeFactory(name="Ash Court")
    member(second, Role.STAFF, personas.staff.username)
    ActionFactory(plan=plan, owner=personas.staff, title="Oak View job")
    ActionFactory(plan=PlanFactory(home=second), owner=personas.staff, title="Ash Court job")
    page = personas.client(personas.staff).get("/actions/").text
    assert "Oak View job" in page and "Ash Court job" in page


def test_staff_change_status_and_add_a_note_on_their_own_action(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff, title="Charge tablets")
    c = personas.client(personas.staff)
    response = c.post(f"/actions/{action.pk}/update/", {"status": "done", "note": "All 12 charged", "version": action.version})
    assert response.status_code == 302 and response["Location"] == "/actions/"
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.completed_at is not None
    update = ActionUpdate.objects.get(action=action)
    assert (update.author, update.status_from, update.status_to, update.note) == (
        personas.staff,
        "not_started",
        "done",
        "All 12 charged",
    )
    assert "All 12 charged" in c.get("/actions/").text


def test_a_note_alone_is_recorded_without_a_status_change(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff)
    personas.client(personas.staff).post(
        f"/actions/{action.pk}/update/", {"status": "not_started", "note": "Waiting for the cases", "version": action.version}
    )
    update = ActionUpdate.objects.get(action=action)
    assert update.status_to == "" and update.note == "Waiting for the cases"


def test_staff_cannot_edit_anything_else_about_their_action(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff, title="Charge tablets")
    c = personas.client(personas.staff)
    assert c.post(f"/plans/action/{action.pk}/edit/", {"title": "Renamed", "status": "done"}).status_code == 403
    assert c.post(f"/plans/action/{action.pk}/delete/").status_code == 403
    # Extra fields on the status form are ignored.
    c.post(
        f"/actions/{action.pk}/update/",
        {"status": "in_progress", "title": "Renamed", "owner": personas.manager.pk, "version": action.version},
    )
    action.refresh_from_db()
    assert action.title == "Charge tablets" and action.owner == personas.staff and action.status == "in_progress"


def test_staff_cannot_update_someone_elses_action(personas, plan):
    other = member(personas.home, Role.STAFF, "t-staff-b")
    action = ActionFactory(plan=plan, owner=other)
    assert personas.client(personas.staff).post(f"/actions/{action.pk}/update/", {"status": "done"}).status_code == 403


@pytest.mark.parametrize("who", ["viewer", "approver"])
def test_read_only_roles_cannot_update_actions(personas, plan, who):
    action = ActionFactory(plan=plan, owner=personas.staff)
    assert personas.client(getattr(personas, who)).post(f"/actions/{action.pk}/update/", {"status": "done"}).status_code == 403


def test_stranger_gets_404_and_anonymous_goes_to_sign_in(personas, plan, client):
    action = ActionFactory(plan=plan, owner=personas.staff)
    assert personas.client(personas.stranger).post(f"/actions/{action.pk}/update/", {"status": "done"}).status_code == 404
    response = client.post(f"/actions/{action.pk}/update/", {"status": "done"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_manager_may_update_any_action_in_their_home(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff)
    assert (
        personas.client(personas.manager)
        .post(f"/actions/{action.pk}/update/", {"status": "blocked", "note": "Supplier late", "version": action.version})
        .status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "blocked"


def test_stale_status_update_is_refused(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff)
    c = personas.client(personas.staff)
    version = action.version
    c.post(f"/actions/{action.pk}/update/", {"status": "in_progress", "version": version})
    second = c.post(f"/actions/{action.pk}/update/", {"status": "done", "note": "finished", "version": version})
    assert second.status_code == 409 and "Someone else changed this" in second.text and "finished" in second.text
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_htmx_update_replaces_the_card(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff, title="Charge tablets")
    response = personas.client(personas.staff).post(
        f"/actions/{action.pk}/update/", {"status": "done", "note": "", "version": action.version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert f'id="action-{action.pk}"' in response.text and "Saved." in response.text


def test_progress_continues_while_a_revised_plan_is_in_review_but_not_once_closed(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff)
    c = personas.client(personas.staff)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
    assert c.post(f"/actions/{action.pk}/update/", {"status": "in_progress", "version": action.version}).status_code == 302
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    response = c.post(f"/actions/{action.pk}/update/", {"status": "done", "version": action.version + 1})
    assert response.status_code == 400 and "can no longer change" in response.text
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_owner_who_left_the_home_no_longer_sees_its_actions(personas, plan):
    ActionFactory(plan=plan, owner=personas.staff, title="Old job")
    personas.staff.memberships.all().delete()
    assert "Old job" not in personas.client(personas.staff).get("/actions/").text
