"""The mail task, eagerly (no broker) and through a real worker on Redis."""

import pytest
from django.core import mail

from oakview.core.tasks import send_email_task
from tests.services import require_redis


def test_send_email_task_runs_in_process_without_a_broker(db):
    result = send_email_task.delay(subject="Hello", body="Body", to=["a@example.org"])
    assert result.get(timeout=1) == 1
    assert mail.outbox[0].subject == "Hello"
    assert mail.outbox[0].to == ["a@example.org"]


@pytest.mark.redis
def test_send_email_task_through_a_real_worker(redis_worker):
    require_redis()
    result = send_email_task.delay(subject="Via Redis", body="Sent by a worker", to=["b@example.org"])
    assert type(result.backend).__name__ == "RedisBackend"  # not eager, not in-memory
    assert result.get(timeout=30) == 1
    assert [m.subject for m in mail.outbox] == ["Via Redis"]


def test_password_reset_mail_is_sent_by_the_task(personas, client, django_capture_on_commit_callbacks):
    personas.manager.email = "sarah@example.org"
    personas.manager.save()
    # The mail leaves through the outbox, after the commit (the test's transaction never
    # commits, so its on-commit callbacks are run here).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "sarah@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Oakview password"
    assert "/accounts/reset/" in message.body
    assert message.to == ["sarah@example.org"]


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.text
    assert mail.outbox == []
