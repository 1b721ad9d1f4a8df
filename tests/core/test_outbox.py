"""The transactional outbox: nothing sent for a rolled-back change, nothing lost when the
broker is down, nothing done twice however often a message is delivered."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from celery import current_app
from django.db import transaction
from django.utils import timezone

from oakview.core.models import OutboxMessage
from oakview.core.outbox import (
    MAX_ATTEMPTS,
    outbox_dispatch,
    outbox_dispatch_due,
    outbox_enqueue,
    outbox_purge,
    outbox_run_once,
    outbox_was_sent,
)
from oakview.core.tasks import send_email_task
from tests.factories import UserFactory
from tests.faults import celery_with_nothing_listening

Status = OutboxMessage.Status
MAIL = {"subject": "Hello", "body": "Body", "to": ["a@example.org"]}


@pytest.fixture
def broker_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_with_nothing_listening() as app:
        yield app


def test_nothing_is_sent_for_a_rolled_back_change(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ZeroDivisionError):
            with transaction.atomic():
                outbox_enqueue(send_email_task, **MAIL)
                raise ZeroDivisionError
    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_a_committed_change_sends_its_mail_after_the_commit_once(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = outbox_enqueue(send_email_task, **MAIL)
            assert mailoutbox == []  # not before the commit
    message.refresh_from_db()
    assert message.status == Status.DONE and message.task_id
    assert outbox_was_sent(message)
    assert [m.subject for m in mailoutbox] == ["Hello"]


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_with_the_broker_down_the_row_waits_and_nothing_is_raised(
    db, broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(send_email_task, **MAIL)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    # The Redis result backend's RuntimeError, which the old broker-error check missed.
    assert message.last_error.startswith(("RuntimeError", "OperationalError"))
    assert message.next_attempt_at == timezone.now() + dt.timedelta(minutes=1)
    assert not outbox_was_sent(message)
    assert mailoutbox == []


def test_retries_back_off_to_an_hour_and_give_up_after_the_last(db, broker_down):
    message = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL)
    delays = []
    for _ in range(MAX_ATTEMPTS):
        message.refresh_from_db()
        with time_machine.travel(message.next_attempt_at, tick=False):
            outbox_dispatch(message_id=message.pk)
            message.refresh_from_db()
            delays.append(int((message.next_attempt_at - timezone.now()).total_seconds() // 60))
    assert delays[:8] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert (message.status, message.attempts) == (Status.FAILED, MAX_ATTEMPTS)


def test_a_row_is_not_sent_before_its_next_attempt(db, django_capture_on_commit_callbacks, mailoutbox):
    message = OutboxMessage.objects.create(
        task_name=send_email_task.name, kwargs=MAIL, next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert outbox_dispatch_due() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert outbox_dispatch_due() == 1
    message.refresh_from_db()
    assert message.status == Status.DONE and len(mailoutbox) == 1


def test_the_beat_task_stops_at_the_first_refusal(db, broker_down):
    rows = [OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL) for _ in range(3)]
    assert outbox_dispatch_due() == 0
    assert [OutboxMessage.objects.get(pk=r.pk).attempts for r in rows] == [1, 0, 0]


def test_a_message_taken_but_never_done_is_handed_over_again(db, mailoutbox):
    long_ago = timezone.now() - dt.timedelta(hours=2)
    lost = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL, status=Status.SENT, sent_at=long_ago)
    recent = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL, status=Status.SENT, sent_at=timezone.now())
    assert outbox_dispatch_due() == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, recent.status) == (Status.DONE, Status.SENT)
    assert len(mailoutbox) == 1


def test_a_duplicate_delivery_does_nothing_twice(db, mailoutbox):
    message = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL, status=Status.SENT)
    first = send_email_task.apply(kwargs={**MAIL, "outbox_id": message.pk})
    second = send_email_task.apply(kwargs={**MAIL, "outbox_id": message.pk})
    assert (first.get(), second.get()) == (1, None)
    assert len(mailoutbox) == 1
    message.refresh_from_db()
    assert message.status == Status.DONE and message.done_at is not None


def test_work_that_fails_leaves_the_row_to_be_run_again(db):
    message = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL, status=Status.SENT)
    runs = []

    def flaky():
        runs.append(1)
        if len(runs) == 1:
            raise ConnectionError("SMTP server went away")
        return "sent"

    with pytest.raises(ConnectionError):
        outbox_run_once(message.pk, flaky)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert outbox_run_once(message.pk, flaky) == "sent"
    assert outbox_run_once(message.pk, flaky) is None
    assert len(runs) == 2


def test_work_that_commits_as_it_goes_is_also_done_once(transactional_db):
    in_transaction = []

    def job():
        in_transaction.append(transaction.get_connection().in_atomic_block)
        return "rendered"

    held = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL, status=Status.SENT)
    assert outbox_run_once(held.pk, job) == "rendered"
    free = OutboxMessage.objects.create(task_name=send_email_task.name, kwargs=MAIL, status=Status.SENT)
    assert outbox_run_once(free.pk, job, atomic=False) == "rendered"
    assert outbox_run_once(free.pk, job, atomic=False) is None
    # Held: the work's writes commit with "done"; free: they commit as they go (progress shows).
    assert in_transaction == [True, False]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DONE}


def test_only_tasks_built_for_the_outbox_can_be_enqueued(db):
    plain = current_app.tasks["celery.backend_cleanup"]
    with pytest.raises(TypeError, match="base=OutboxTask"):
        outbox_enqueue(plain)
    assert not OutboxMessage.objects.exists()


def test_done_rows_are_purged_after_a_week_and_waiting_ones_kept(db):
    old = timezone.now() - dt.timedelta(days=8)
    OutboxMessage.objects.create(task_name="x", status=Status.DONE, done_at=old)
    kept_done = OutboxMessage.objects.create(task_name="x", status=Status.DONE, done_at=timezone.now())
    waiting = OutboxMessage.objects.create(task_name="x", status=Status.PENDING)
    failed = OutboxMessage.objects.create(task_name="x", status=Status.FAILED)
    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {kept_done.pk, waiting.pk, failed.pk}


def test_healthz_reports_the_backlog_and_keeps_its_contract(db, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        OutboxMessage.objects.create(task_name="x")
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        OutboxMessage.objects.create(task_name="x")
        OutboxMessage.objects.create(task_name="x", status=Status.FAILED)
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        body = client.get("/healthz").json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "in-process",
        "outbox": {"pending": 2, "oldest_pending_seconds": 600, "failed": 1},
    }


def test_an_operator_retries_given_up_rows_from_the_admin(operator_client):
    failed = OutboxMessage.objects.create(
        task_name="x", status=Status.FAILED, attempts=MAX_ATTEMPTS, next_attempt_at=timezone.now() + dt.timedelta(hours=1)
    )
    done = OutboxMessage.objects.create(task_name="x", status=Status.DONE)
    response = operator_client.post(
        "/admin/core/outboxmessage/", {"action": "try_again_now", "_selected_action": [failed.pk, done.pk]}
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    done.refresh_from_db()
    assert failed.status == Status.PENDING and failed.next_attempt_at <= timezone.now()
    assert done.status == Status.DONE


def test_password_reset_with_the_broker_down_still_answers(
    db, broker_down, client, django_capture_on_commit_callbacks, mailoutbox
):
    UserFactory(username="sarah", email="sarah@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "sarah@example.org"}, follow=True)
    assert response.status_code == 200 and "Check your email" in response.text
    message = OutboxMessage.objects.get()
    assert message.status == Status.PENDING
    # Nothing secret waits in the outbox: the link is made when the mail goes out.
    assert set(message.kwargs) == {"user_id", "domain", "use_https"}
    assert mailoutbox == []


def test_a_row_for_an_unknown_task_waits_with_the_reason(db):
    message = OutboxMessage.objects.create(task_name="plans.tasks.renamed_task", kwargs={})
    outbox_dispatch(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Status.PENDING and "no task named plans.tasks.renamed_task" in message.last_error
