"""The transactional outbox: mail and background work that survive a broker outage.

    with transaction.atomic():
        plan.status = ...; plan.save()
        outbox_enqueue(notify_submitted_task, revision_id=revision.pk)

outbox_enqueue writes a row in the caller's transaction and, once that commits, hands it
to Celery. If the broker is down the request still succeeds: the row stays pending and
the beat task (outbox_dispatch_task, every minute) tries again with backoff. A rolled-back
change leaves no row, so nothing is sent for it.

Delivery is at least once (a broker can deliver a message twice, and the beat task hands a
message over again when it was taken but never done), so the task must do its work once
per row: tasks enqueued here use `base=OutboxTask`, which receives the row's id as
`outbox_id` and skips a delivery whose row is already done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from typing import Any, TypeVar

from celery import Task, current_app
from celery.utils import uuid
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from .models import OutboxMessage

log = logging.getLogger("oakview.outbox")
T = TypeVar("T")
Status = OutboxMessage.Status

# What sending a task raises when the broker or the result backend is unreachable: kombu's
# OperationalError (broker), redis-py's errors, socket errors, and the RuntimeError the Redis
# result backend raises after its retries ("Retry limit exceeded while trying to reconnect").
ENQUEUE_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, RedisError, OSError, RuntimeError)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# A row handed to the broker but not done after this long is handed over again: the broker
# lost it (Redis restarted without persistence) or every retry of the task failed.
REDELIVER_AFTER = timedelta(hours=1)
MAX_ATTEMPTS = 20  # then the row is FAILED and waits for an operator (see /healthz)
# How long a dispatcher owns a row it is handing over; a dispatcher that died is replaced after it.
LEASE = timedelta(minutes=5)
BATCH = 200


class Dispatch(Enum):
    SENT = "sent"
    SKIPPED = "skipped"  # not pending (sent already, or another process holds it)
    FAILED = "failed"  # the broker refused; the row waits for its next attempt


class OutboxTask(Task):
    """Base for tasks enqueued through the outbox: a delivery whose row is already done does
    nothing, and the row is marked done in the same transaction as the task's own writes.

    Declare `outbox_id: int | None = None` in the task's signature (Celery checks arguments
    when sending); the base consumes it, the task body never sees it.

    A long task whose progress others must see while it runs (an export that says
    "Rendering") sets `outbox_atomic = False`: its writes commit as they go, the row is
    marked done afterwards, and the task must itself be idempotent, because two deliveries
    at the same moment may both run."""

    outbox_atomic = True

    def __call__(self, *args, outbox_id: int | None = None, **kwargs):
        if outbox_id is None:
            return super().__call__(*args, **kwargs)
        work = lambda: super(OutboxTask, self).__call__(*args, **kwargs)  # noqa: E731
        return outbox_run_once(outbox_id, work, atomic=self.outbox_atomic)


def outbox_enqueue(task: Task, /, **kwargs: Any) -> OutboxMessage:
    """Queue `task(**kwargs)` to run after the current transaction commits (at once outside
    one). kwargs must be JSON: ids and short strings, never secrets (rows are kept a week)."""
    if not isinstance(task, OutboxTask):
        raise TypeError(f"{task.name} must be declared with base=OutboxTask to be sent through the outbox.")
    message = OutboxMessage.objects.create(task_name=task.name, kwargs=kwargs)
    # robust: a failure after the commit is logged, never turned into a 500 for a saved change.
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk), robust=True)
    return message


def outbox_dispatch(*, message_id: int) -> Dispatch:
    """Hand one pending row to Celery; on failure record it and schedule the next attempt.

    No transaction is held while the broker is called (it may hang, and a worker may run the
    task before this returns): the row is claimed first by moving its next attempt a lease
    ahead, so the request's own dispatch and the beat task never send it at the same time,
    and a dispatcher that dies mid-way leaves it to the beat task once the lease ends."""
    now = timezone.now()
    task_id = uuid()  # recorded before sending: a worker may finish the task before we return
    claimed = OutboxMessage.objects.filter(pk=message_id, status=Status.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE, task_id=task_id
    )
    if not claimed:
        return Dispatch.SKIPPED
    message = OutboxMessage.objects.get(pk=message_id)
    task = current_app.tasks.get(message.task_name)
    if task is None:  # a worker started from an older release, or a renamed task
        _record_failure(message, LookupError(f"no task named {message.task_name}"), now)
        return Dispatch.FAILED
    try:
        task.apply_async(kwargs={**message.kwargs, "outbox_id": message.pk}, task_id=task_id)
    except ENQUEUE_ERRORS as exc:
        _record_failure(message, exc, now)
        return Dispatch.FAILED
    with transaction.atomic():
        # Only if still pending and not locked: a worker (or an in-process task) may have
        # run it already and marked it done, or be running it now and about to.
        if list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message.pk, status=Status.PENDING)
            .values_list("pk", flat=True)
        ):
            OutboxMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
                status=Status.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
            )
    return Dispatch.SENT


def _record_failure(message: OutboxMessage, exc: BaseException, now) -> None:
    attempts = message.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:500]
    OutboxMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
        attempts=attempts,
        last_error=error,
        status=Status.FAILED if attempts >= MAX_ATTEMPTS else Status.PENDING,
        next_attempt_at=now + min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY),
    )
    log.warning("outbox: %s #%s not queued (attempt %s): %s", message.task_name, message.pk, attempts, error)


def outbox_dispatch_due(*, limit: int = BATCH) -> int:
    """The beat task's work: hand over the rows whose next attempt is due, and rows taken but
    never done. Stops at the first refusal: the broker is down, the rest would fail too."""
    now = timezone.now()
    with transaction.atomic():
        stale = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SENT, sent_at__lt=now - REDELIVER_AFTER)
            .values_list("pk", flat=True)[:limit]
        )
        OutboxMessage.objects.filter(pk__in=stale).update(status=Status.PENDING, next_attempt_at=now)
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).values_list("pk", flat=True)[:limit]
    sent = 0
    for message_id in list(due):
        outcome = outbox_dispatch(message_id=message_id)
        if outcome is Dispatch.FAILED:
            break
        sent += outcome is Dispatch.SENT
    return sent


def outbox_run_once(outbox_id: int, work: Callable[[], T], *, atomic: bool = True) -> T | None:
    """Run `work` unless the row is done; mark it done with the work's writes. While it runs
    the row is locked, so a second delivery at the same time waits and then does nothing (if the first
    fails, Celery's retry or the beat task's redelivery runs it again). Not atomic: no lock,
    no transaction around the work; done is checked before and marked after."""
    if not atomic:
        if not OutboxMessage.objects.filter(pk=outbox_id).exclude(status=Status.DONE).exists():
            log.info("outbox: #%s done or purged; this delivery does nothing", outbox_id)
            return None
        result = work()
        OutboxMessage.objects.filter(pk=outbox_id).update(status=Status.DONE, done_at=timezone.now())
        return result
    with transaction.atomic():
        # Wait for the row's lock, never skip it: the lock may be held by the dispatcher
        # recording "sent" (it briefly locks the row after handing it over, and a fast worker
        # gets here first), and skipping then dropped the mail until beat's redelivery an hour
        # later. A duplicate delivered while the first runs waits for it, then finds it done.
        message = OutboxMessage.objects.select_for_update().filter(pk=outbox_id).first()
        if message is None or message.status == Status.DONE:
            log.info("outbox: #%s done, running elsewhere or purged; this delivery does nothing", outbox_id)
            return None
        result = work()
        OutboxMessage.objects.filter(pk=outbox_id).update(status=Status.DONE, done_at=timezone.now())
    return result


def outbox_was_sent(message: OutboxMessage) -> bool:
    """After the commit: did the broker take it (or did it already run)? For a page that
    says "queued" or "will be queued when the task queue is back"."""
    return OutboxMessage.objects.filter(pk=message.pk, status__in=[Status.SENT, Status.DONE]).exists()


def outbox_backlog() -> dict:
    """For /healthz: pending rows, the age of the oldest in seconds, and rows given up on."""
    pending = OutboxMessage.objects.filter(status=Status.PENDING)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "pending": pending.count(),
        "oldest_pending_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else None,
        "failed": OutboxMessage.objects.filter(status=Status.FAILED).count(),
    }


def outbox_purge(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Done rows are kept a week for diagnosis, then deleted. Pending, handed-over and
    failed rows stay until they are done or an operator deals with them."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxMessage.objects.filter(status=Status.DONE, done_at__lt=cutoff).delete()
    return deleted
