"""Approval drift: the live plan compared with the revision in force, through every part's
drift() (plans.parts.collect_drift, via workflow.material_changes).

A material difference opens a drift episode: the plan page and the dashboards say "changes
since approval", the home's approvers are told once (through the transactional outbox, so a
rolled-back edit mails nobody and a broker outage delays the mail instead of losing it), and
the manager is asked to submit the changes, which readies the re-approval. The episode
closes when the plan is back in line with what was approved, or a newer revision is
approved; a later departure is a new episode, told again.

drift_refresh() is called where the drift is shown (the plan page's workflow box), so the
record follows the plan whoever changed it and through whichever part.
"""

from __future__ import annotations

from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from oakview.core.outbox import OutboxTask, outbox_enqueue
from plans.models import DriftEpisode, Plan

from .notifications import _absolute, _approvers, _send
from .workflow import approved_revision, material_changes

DRIFT_STATES = (Plan.Status.APPROVED, Plan.Status.IN_PROGRESS, Plan.Status.EVALUATING)


def drift_refresh(plan: Plan) -> list[str]:
    """The material changes since the revision in force, with the plan's drift episode
    opened (and the approvers told) or closed to match."""
    revision = approved_revision(plan) if plan.status in DRIFT_STATES else None
    messages = material_changes(plan) if revision is not None else []
    with transaction.atomic():
        episode = DriftEpisode.objects.select_for_update().filter(plan=plan, closed_at__isnull=True).first()
        if episode is not None and (not messages or revision is None or episode.revision_id != revision.pk):
            episode.closed_at = timezone.now()
            episode.save(update_fields=["closed_at"])
            episode = None
        if not messages or revision is None:
            return messages
        if episode is None:
            try:
                with transaction.atomic():
                    episode = DriftEpisode.objects.create(plan=plan, revision=revision, messages=messages)
            except IntegrityError:
                return messages  # another request opened it a moment ago, and told the approvers
            outbox_enqueue(notify_drift_task, episode_id=episode.pk)
        elif episode.messages != messages:
            episode.messages = messages
            episode.save(update_fields=["messages"])
    return messages


def send_drift_emails(*, episode_id: int) -> int:
    """Tell the home's approvers (not the plan's author) what has changed since they approved."""
    episode = DriftEpisode.objects.select_related("plan__home", "revision").filter(pk=episode_id).first()
    if episode is None or episode.closed_at is not None:
        return 0
    plan = episode.plan
    sent = 0
    for approver in _approvers(plan, exclude_ids={plan.author_id}):
        _send(
            template="drift",
            context={
                "recipient": approver,
                "plan": plan,
                "revision": episode.revision,
                "messages": episode.messages,
                "plan_url": _absolute(reverse("plans:plan-detail", args=[plan.pk])),
            },
            to=[approver.email],
        )
        sent += 1
    return sent


@shared_task(
    name="plans.tasks.notify_drift_task",
    bind=True,
    base=OutboxTask,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def notify_drift_task(self: Task[Any, Any], *, episode_id: int, outbox_id: int | None = None) -> int:
    return send_drift_emails(episode_id=episode_id)
