"""Email notifications. Each is sent by a Celery task after the transaction commits, so a
rolled-back change never mails anyone and a slow mail server never holds a request.
Nobody is mailed about their own change."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from oakview.core.tasks import send_email_task


def _absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def action_assigned(*, action, by) -> None:
    """Tell the new owner of an action it is theirs (not when they assigned it to themselves)."""
    owner = action.owner
    if owner is None or owner.pk == getattr(by, "pk", None) or not owner.email:
        return
    subject = f"New action for you: {action.title}"
    due = action.due_date.strftime("%-d %b %Y") if action.due_date else "no due date"
    body = (
        f"Hello {owner.display_name},\n\n"
        f"{by.display_name} has assigned you an action in the plan \"{action.plan.title}\" "
        f"at {action.plan.home.name}:\n\n  {action.title}\n  Due: {due}\n\n"
        f"See your actions: {_absolute(reverse('plans:my-actions'))}\n"
    )
    to = [owner.email]
    transaction.on_commit(lambda: send_email_task.delay(subject=subject, body=body, to=to))
