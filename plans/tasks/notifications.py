"""Workflow emails. Thin tasks: ids in, a plain function in plans.notifications does the work."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from plans import notifications

# plans.tasks star-imports this module; without __all__ the name "notifications" would
# shadow this very submodule on the plans.tasks package.
__all__ = ["notify_decided_task", "notify_submitted_task", "send_overdue_reminders_task"]
_RETRY = {
    "bind": True,
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="plans.tasks.notify_submitted_task", **_RETRY)
def notify_submitted_task(self, *, revision_id: int) -> int:
    return notifications.send_submission_emails(revision_id=revision_id)


@shared_task(name="plans.tasks.notify_decided_task", **_RETRY)
def notify_decided_task(self, *, decision_id: int) -> int:
    return notifications.send_decision_emails(decision_id=decision_id)


@shared_task(name="plans.tasks.send_overdue_reminders_task", bind=True, acks_late=True)
def send_overdue_reminders_task(self) -> int:
    # "Today" in the home's time zone (settings.TIME_ZONE): a reminder sent at 07:00 London
    # time is about actions due before today there, whatever UTC says.
    return notifications.send_overdue_reminders(today=timezone.localdate())
