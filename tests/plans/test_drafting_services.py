"""Drafting services: the rules hold whoever writes (views, demo, shell)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oakview.core.locking import StaleEdit
from plans import services
from plans.models import Action, Plan
from tests.factories import ActionFactory, PlanFactory


@pytest.fixture
def plan(personas):
    return PlanFactory(home=personas.home, author=personas.manager)


def test_plan_update_never_writes_back_a_status_changed_meanwhile(personas, plan):
    stale = Plan.objects.get(pk=plan.pk)
    # The workflow moves the plan on (and bumps the version) after the editor loaded it.
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED, version=plan.version + 1)
    with pytest.raises(StaleEdit):
        services.plan_update(plan=stale, by=personas.manager, expected_version=stale.version, title="New")
    fresh = services.plan_update(plan=stale, by=personas.manager, expected_version=plan.version + 1, title="New")
    assert fresh.status == Plan.Status.APPROVED and fresh.title == "New"
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED


def test_plan_update_refuses_workflow_fields(personas, plan):
    with pytest.raises(ValueError):
        services.plan_update(plan=plan, by=personas.manager, expected_version=plan.version, status="approved")


@pytest.mark.parametrize("status", [Plan.Status.IN_REVIEW, Plan.Status.CLOSED])
def test_content_is_frozen_in_review_and_when_closed(personas, plan, status):
    Plan.objects.filter(pk=plan.pk).update(status=status)
    with pytest.raises(services.PlanLocked):
        services.action_create(plan=plan, by=personas.manager, title="Too late")
    with pytest.raises(services.PlanLocked):
        services.plan_update(plan=plan, by=personas.manager, expected_version=plan.version, title="Too late")
    assert not Action.objects.exists()


def test_owner_must_belong_to_the_home(personas, plan):
    with pytest.raises(ValidationError) as exc:
        services.action_create(plan=plan, by=personas.manager, title="X", owner=personas.stranger)
    assert "not a member of this home" in exc.value.message_dict["owner"][0]


def test_due_date_must_fall_inside_the_plan(personas, plan):
    with pytest.raises(ValidationError) as exc:
        services.action_create(plan=plan, by=personas.manager, title="X", due_date=dt.date(2026, 11, 1))
    assert "before the plan starts" in exc.value.message_dict["due_date"][0]


def test_owner_is_told_only_when_they_become_the_owner(personas, plan, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_create(plan=plan, by=personas.manager, title="Order tablets", owner=personas.staff)
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        action.title = "Order 12 tablets"
        services.row_save(row=action, by=personas.manager, expected_version=action.version)
    assert len(mailoutbox) == 1  # same owner: no second email
    with django_capture_on_commit_callbacks(execute=True):
        services.action_create(plan=plan, by=personas.manager, title="Mine", owner=personas.manager)
    assert len(mailoutbox) == 1  # nobody is mailed about their own assignment


def test_history_records_who_changed_a_row_outside_a_request(personas, plan):
    action = services.action_create(plan=plan, by=personas.manager, title="Order tablets")
    assert action.history.first().history_user == personas.manager


def test_status_update_records_done_time_and_clears_it_when_reopened(personas, plan):
    action = ActionFactory(plan=plan, owner=personas.staff)
    services.action_update_status(action=action, by=personas.staff, status=Action.Status.DONE)
    assert action.completed_at is not None
    services.action_update_status(action=action, by=personas.staff, status=Action.Status.IN_PROGRESS, note="Not quite")
    action.refresh_from_db()
    assert action.completed_at is None and action.updates.count() == 2
    assert services.action_update_status(action=action, by=personas.staff, status=Action.Status.IN_PROGRESS) is None
