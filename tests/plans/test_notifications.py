"""Workflow emails in Django's outbox: who gets what, after commit, and the daily reminder
on a fixed clock."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from oakview.celery import app as celery_app
from oakview.core.models import Membership, Role
from plans.models import Action, ReminderLog
from plans.services import workflow
from plans.tasks import send_overdue_reminders_task
from tests.factories import ActionFactory, member

from .workflow_helpers import approve, ready_plan, request_changes, submit

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_submission_mails_the_homes_approvers_but_not_the_submitter(personas, django_capture_on_commit_callbacks):
    second = member(personas.home, Role.APPROVER, "t-approver-2", first_name="Ann", last_name="Cole")
    member(personas.other_home, Role.APPROVER, "t-beech-approver")
    plan = ready_plan(personas)
    with django_capture_on_commit_callbacks(execute=True):
        submit(plan, personas)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"{personas.approver.username}@example.org", f"{second.username}@example.org"]
    )
    message = next(m for m in mail.outbox if m.to == [f"{personas.approver.username}@example.org"])
    assert message.subject == "For your approval: Digital care planning (revision 1)"
    assert "Hello David Hughes," in message.body
    assert 'Sarah Okafor has submitted revision 1 of the plan "Digital care planning" at Oak View' in message.body
    assert f"/plans/{plan.pk}/review/" in message.body


def test_no_mail_when_the_transaction_rolls_back(personas, django_capture_on_commit_callbacks):
    plan = ready_plan(personas, narrative_need="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(workflow.NotReady):
            submit(plan, personas)
    assert callbacks == []
    assert mail.outbox == []


def test_decision_mails_the_author_with_the_comment(personas, django_capture_on_commit_callbacks):
    plan = ready_plan(personas)
    submit(plan, personas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_changes(plan, personas, "Please add the night-shift training dates.")
    [message] = mail.outbox
    assert message.to == [f"{personas.manager.username}@example.org"]
    assert message.subject == "Changes requested: Digital care planning (revision 1)"
    assert "David Hughes has asked for changes to revision 1" in message.body
    assert "Please add the night-shift training dates." in message.body
    assert f"/plans/{plan.pk}/revisions/1/" in message.body


def test_approval_mail_says_it_is_in_force(personas, django_capture_on_commit_callbacks):
    plan = ready_plan(personas)
    submit(plan, personas)
    with django_capture_on_commit_callbacks(execute=True):
        approve(plan, personas, "Well evidenced.")
    [message] = mail.outbox
    assert message.subject == "Approved: Digital care planning (revision 1)"
    assert "It is now the plan in force." in message.body


# --- The daily overdue reminder -----------------------------------------------------------------


@pytest.fixture
def overdue(personas):
    plan = ready_plan(personas)
    plan.actions.all().delete()
    ActionFactory(plan=plan, title="Order tablets", owner=personas.staff, due_date=dt.date(2027, 1, 10))
    ActionFactory(plan=plan, title="Book the trainer", owner=personas.staff, due_date=dt.date(2027, 1, 14))
    ActionFactory(plan=plan, title="Not due yet", owner=personas.staff, due_date=dt.date(2027, 1, 20))
    ActionFactory(plan=plan, title="Done late", owner=personas.manager, due_date=dt.date(2027, 1, 1), status=Action.Status.DONE)
    return plan


def _run_beat_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_overdue_reminders_task.delay().get(timeout=5)


def test_beat_schedule_points_at_the_reminder_task():
    entry = settings.CELERY_BEAT_SCHEDULE["overdue-action-reminders"]
    assert entry["task"] == "plans.tasks.send_overdue_reminders_task"
    assert entry["task"] in celery_app.tasks


def test_overdue_reminder_once_a_day_to_each_owner(personas, overdue, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2027, 1, 15, 7, 0, tzinfo=LONDON), tick=False):
        assert _run_beat_task(django_capture_on_commit_callbacks) == 1
        [message] = mail.outbox
        assert message.to == [f"{personas.staff.username}@example.org"]
        assert message.subject == "2 overdue actions in Oakview"
        assert "- Order tablets (Digital care planning, Oak View)\n  Due 10 Jan 2027, 5 days ago" in message.body
        assert "Book the trainer" in message.body and "1 day ago" in message.body
        assert "Not due yet" not in message.body
        # A second run the same day (a retried task, a second beat) mails nobody again.
        assert _run_beat_task(django_capture_on_commit_callbacks) == 0
        assert len(mail.outbox) == 1
    with time_machine.travel(dt.datetime(2027, 1, 16, 7, 0, tzinfo=LONDON), tick=False):
        assert _run_beat_task(django_capture_on_commit_callbacks) == 1
    assert list(ReminderLog.objects.order_by("date").values_list("date", "action_count")) == [
        (dt.date(2027, 1, 15), 2),
        (dt.date(2027, 1, 16), 2),
    ]


def test_just_after_midnight_in_london_counts_as_the_new_day(personas, django_capture_on_commit_callbacks):
    plan = ready_plan(personas)
    plan.actions.all().delete()
    ActionFactory(plan=plan, title="Summer audit", owner=personas.staff, due_date=dt.date(2027, 5, 31))
    # 00:30 BST on 1 June is still 31 May in UTC: the reminder goes by the home's date.
    with time_machine.travel(dt.datetime(2027, 6, 1, 0, 30, tzinfo=LONDON), tick=False):
        _run_beat_task(django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "1 overdue action in Oakview"
    assert "Due 31 May 2027, 1 day ago" in message.body


def test_no_reminder_for_owners_who_left_the_home(personas, overdue, django_capture_on_commit_callbacks):
    Membership.objects.filter(user=personas.staff).delete()
    with time_machine.travel(dt.datetime(2027, 1, 15, 7, 0, tzinfo=LONDON), tick=False):
        assert _run_beat_task(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


@pytest.mark.redis
def test_submission_mail_goes_through_a_real_worker(personas, redis_worker):
    plan = ready_plan(personas)
    submit(plan, personas)  # transactional test: the commit really happens, and queues the task
    deadline = time.monotonic() + 20
    while len(mail.outbox) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.subject for m in mail.outbox] == ["For your approval: Digital care planning (revision 1)"]
