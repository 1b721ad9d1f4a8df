"""Faults with real services: the test's own Redis is stopped while a person asks for a
password reset, then started again; the mail must arrive exactly once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from oakview.core.models import OutboxMessage
from oakview.core.tasks import outbox_dispatch_task, send_password_reset_email_task
from tests.factories import UserFactory

pytestmark = pytest.mark.redis
RESULT_TIMEOUT = 30


def _worker(app):
    return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)


def test_password_reset_with_the_broker_down_answers_and_the_mail_goes_out_once_it_is_back(fault_celery, private_redis, client):
    UserFactory(username="sarah", email="sarah@example.org")
    private_redis.stop()

    response = client.post("/accounts/password_reset/", {"email": "sarah@example.org"})
    assert response.status_code == 302
    assert "Check your email" in client.get(response["Location"]).text
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.last_error  # why it waits, for the operator
    assert mail.outbox == []

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["broker"] == "down"
    assert health.json()["outbox"]["pending"] == 1

    private_redis.start()
    with _worker(fault_celery):
        # The beat task runs every minute; the row's first retry is due a minute after the failure.
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=True):
            assert outbox_dispatch_task.delay().get(timeout=RESULT_TIMEOUT) == 1
        message.refresh_from_db()
        assert message.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.DONE)
        assert fault_celery.AsyncResult(message.task_id).get(timeout=RESULT_TIMEOUT) == 1

        # Beat again, and the same message delivered a second time: nothing more is sent.
        assert outbox_dispatch_task.delay().get(timeout=RESULT_TIMEOUT) == 0
        again = send_password_reset_email_task.apply_async(kwargs={**message.kwargs, "outbox_id": message.pk})
        assert again.get(timeout=RESULT_TIMEOUT) is None

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert [m.to for m in mail.outbox] == [["sarah@example.org"]]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302  # a valid link goes on to "set a new password"
    assert client.get("/healthz").json()["outbox"] == {"pending": 0, "oldest_pending_seconds": None, "failed": 0}


def test_a_message_the_broker_took_is_sent_by_a_worker_without_waiting_for_beat(fault_celery, client):
    UserFactory(username="tom", email="tom@example.org")
    with _worker(fault_celery):
        response = client.post("/accounts/password_reset/", {"email": "tom@example.org"})
        assert response.status_code == 302
        message = OutboxMessage.objects.get()
        assert message.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.DONE)
        assert fault_celery.AsyncResult(message.task_id).get(timeout=RESULT_TIMEOUT) == 1
    assert [m.to for m in mail.outbox] == [["tom@example.org"]]
