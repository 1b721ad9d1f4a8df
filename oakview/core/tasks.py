"""Core Celery tasks: mail (through the outbox, so a broker outage never loses one), the
outbox's own dispatcher, and housekeeping. Thin: ids in, plain functions do the work."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task

from . import mail
from .once import purge_form_tokens
from .outbox import OutboxTask, outbox_dispatch_due, outbox_purge
from .ratelimit import purge_expired_counters

_MAIL_RETRY: dict[str, Any] = {
    "bind": True,
    "base": OutboxTask,
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="oakview.core.tasks.send_email_task", **_MAIL_RETRY)
def send_email_task(self, *, subject: str, body: str, to: list[str], html_body: str = "", outbox_id: int | None = None) -> int:
    return mail.send_email(subject=subject, body=body, to=to, html_body=html_body)


@shared_task(name="oakview.core.tasks.send_password_reset_email_task", **_MAIL_RETRY)
def send_password_reset_email_task(self, *, user_id: int, domain: str, use_https: bool, outbox_id: int | None = None) -> int:
    return mail.send_password_reset_email(user_id=user_id, domain=domain, use_https=use_https)


@shared_task(name="oakview.core.tasks.outbox_dispatch_task", acks_late=True)
def outbox_dispatch_task() -> int:
    return outbox_dispatch_due()


@shared_task(name="oakview.core.tasks.housekeeping_task", acks_late=True)
def housekeeping_task() -> dict:
    return {
        "outbox_purged": outbox_purge(),
        "rate_counters_purged": purge_expired_counters(),
        "form_tokens_purged": purge_form_tokens(),
    }
