"""Export services: request a PDF of an approved revision, render it in a worker.

Rendering is deterministic for a revision and a template version, so a finished file is
reused rather than rendered again; bumping settings.PDF_TEMPLATE_VERSION (when
templates/pdf changes) makes the next export render afresh. The Celery task that renders
lives here too, beside the request that queues it (see plans.services.notifications).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from oakview.core.access import WRITE_ROLES, role_in
from oakview.core.audit import audit_record
from oakview.core.models import OutboxMessage, User
from oakview.core.outbox import OutboxTask, outbox_enqueue, outbox_was_sent
from plans.models import PlanExport, PlanRevision
from plans.pdf.render import DocumentTooLarge, render_revision

log = logging.getLogger(__name__)

# Database hiccups are worth a retry; a template or data error will fail the same way again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class ExportRefused(Exception):
    """The revision may not be exported (a draft, awaiting review, changes requested)."""


# An approved revision, or one approved and since replaced by a newer approval (an assessor
# may still need the version that was in force). Never a draft, submitted or returned one.
EXPORTABLE = frozenset({PlanRevision.Status.APPROVED, PlanRevision.Status.SUPERSEDED})


def is_exportable(revision: PlanRevision) -> bool:
    return revision.status in EXPORTABLE


def _reuse(export: PlanExport, done: PlanExport) -> None:
    export.file.name = done.file.name
    export.sha256 = done.sha256
    export.page_count = done.page_count
    export.size = done.size
    export.template_version = done.template_version
    export.status = PlanExport.Status.DONE
    export.error = ""
    export.finished_at = timezone.now()


def export_request(*, revision: PlanRevision, by: User) -> PlanExport:
    """Start an export. Returns the export: already done (file reused), or queued.

    The job goes through the transactional outbox: the export row and its job are written in
    one transaction, so a broker outage never answers 500 nor leaves a row nobody will
    render; the job is handed to the broker when it is back. `export.waiting_for_queue`
    says whether the broker took it (the page says so plainly when it did not).

    Raises PermissionDenied unless `by` manages the home, ExportRefused for a revision that
    is not approved.
    """
    if role_in(by, revision.plan.home_id) not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can export a plan.")
    version = settings.PDF_TEMPLATE_VERSION
    message: OutboxMessage | None = None
    with transaction.atomic():
        # Lock the revision so two clicks at once make one job, not two renders.
        revision = PlanRevision.objects.select_for_update().select_related("plan").get(pk=revision.pk)
        if not is_exportable(revision):
            raise ExportRefused(
                f"Only an approved revision can be exported. Revision {revision.number} is "
                f"{revision.get_status_display().lower()}."
            )
        in_flight = (
            PlanExport.objects.filter(revision=revision, template_version=version)
            .filter(status__in=[PlanExport.Status.QUEUED, PlanExport.Status.RENDERING])
            .first()
        )
        if in_flight is not None and (not in_flight.stalled or _job_waiting(in_flight.pk)):
            # Being rendered, or its job waits in the outbox for the broker: one job is enough.
            in_flight.waiting_for_queue = _job_waiting(in_flight.pk)
            return in_flight
        if in_flight is not None:
            # Stalled (its worker died with the job, or none was running): send the same job
            # again. Rendering is idempotent, so a late first copy does no harm.
            export = in_flight
            PlanExport.objects.filter(pk=export.pk).update(updated_at=timezone.now())
        else:
            export = PlanExport(revision=revision, requested_by=by, template_version=version)
            done = PlanExport.objects.reusable(revision.pk, version).first()
            if done is not None:
                _reuse(export, done)
                export.save()
                _audit(export, by, "export_reused", f"PDF of revision {revision.number} exported (stored file reused)")
                return export
            export.save()
        message = outbox_enqueue(render_export_task, export_id=export.pk)
        _audit(export, by, "export_requested", f"PDF of revision {revision.number} requested")
    # After the commit the outbox has handed the job over (or, in-process, run it already).
    export.refresh_from_db()
    export.waiting_for_queue = not outbox_was_sent(message)
    if export.waiting_for_queue:
        log.warning("PDF export %s waits for the task queue (outbox #%s)", export.pk, message.pk)
    return export


def _job_waiting(export_id: int) -> bool:
    """Is a job for this export in the outbox, not yet taken by the broker (it was down)?"""
    return OutboxMessage.objects.filter(
        task_name=RENDER_TASK_NAME, kwargs__export_id=export_id, status=OutboxMessage.Status.PENDING
    ).exists()


def export_waiting_for_queue(exports: list[PlanExport]) -> set[int]:
    """The ids, among these in-flight exports, whose job still waits for the broker."""
    ids = [e.pk for e in exports if e.in_flight]
    if not ids:
        return set()
    rows = OutboxMessage.objects.filter(task_name=RENDER_TASK_NAME, status=OutboxMessage.Status.PENDING).filter(
        kwargs__export_id__in=ids
    )
    return {int(kwargs["export_id"]) for kwargs in rows.values_list("kwargs", flat=True)}


def _audit(export: PlanExport, by: User, action: str, summary: str) -> None:
    audit_record(
        home_id=export.revision.plan.home_id,
        actor=by,
        action=action,
        summary=summary,
        target=export.revision,
        detail={"export_id": export.pk},
    )


def export_render(*, export_id: int) -> PlanExport | None:
    """Render one export. Idempotent: a done export of the current template version returns
    at once; an export left "rendering" by a worker that died is simply rendered again."""
    version = settings.PDF_TEMPLATE_VERSION
    with transaction.atomic():
        export = PlanExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None:
            return None  # removed because it could not be queued, or deleted since
        if export.status == PlanExport.Status.DONE and export.template_version == version:
            return export
        done = PlanExport.objects.reusable(export.revision_id, version).exclude(pk=export.pk).first()
        if done is not None:
            _reuse(export, done)
            export.save()
            return export
        export.status = PlanExport.Status.RENDERING
        export.template_version = version
        export.attempts += 1
        export.started_at = timezone.now()
        export.error = ""
        export.save()

    revision = PlanRevision.objects.select_related("plan__home", "submitted_by").get(pk=export.revision_id)
    try:
        rendered = render_revision(revision)
    except TRANSIENT_ERRORS:
        raise  # the task retries with backoff; the row stays "rendering" meanwhile
    except DocumentTooLarge as exc:
        # Known before the time limit: say so plainly, and free the worker at once.
        export_fail(export_id=export.pk, reason=str(exc))
        return PlanExport.objects.get(pk=export.pk)
    except SoftTimeLimitExceeded:
        export_fail(export_id=export.pk, reason="Rendering took too long and was stopped.")
        raise
    except Exception as exc:
        log.exception("PDF export %s failed", export.pk)
        export_fail(export_id=export.pk, reason=f"The PDF could not be rendered ({type(exc).__name__}: {str(exc)[:300]}).")
        return PlanExport.objects.get(pk=export.pk)

    return _store(export.pk, rendered.data, rendered.pages)


def _store(export_id: int, data: bytes, pages: int) -> PlanExport:
    """Keep the rendered bytes: one file per revision and template version, whatever the
    deliveries. Under the revision's lock, a second delivery (or a second export of the same
    revision) that finishes after the first takes the first one's file and writes nothing;
    the file's name is fixed by the revision, the version and the content's hash, so a
    render repeated after a crash between writing the file and committing finds it there."""
    version = settings.PDF_TEMPLATE_VERSION
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        export = PlanExport.objects.select_for_update().select_related("revision").get(pk=export_id)
        revision = PlanRevision.objects.select_for_update().get(pk=export.revision_id)
        if export.status == PlanExport.Status.DONE and export.template_version == version and export.file:
            return export  # another delivery of this job finished first
        done = PlanExport.objects.reusable(revision.pk, version).exclude(pk=export.pk).first()
        if done is not None:
            _reuse(export, done)
            export.save()
            return export
        # The hash in the name means a re-render that differs (e.g. a new WeasyPrint) never
        # overwrites a file someone already downloaded.
        name = f"exports/plan-{revision.plan_id}/r{revision.number}-v{version}-{sha[:16]}.pdf"
        storage = export.file.storage
        if not storage.exists(name):
            name = storage.save(name, ContentFile(data))
        export.file.name = name
        export.sha256 = sha
        export.size = len(data)
        export.page_count = pages
        export.status = PlanExport.Status.DONE
        export.template_version = version
        export.finished_at = timezone.now()
        export.error = ""
        export.save()
    return export


def export_fail(*, export_id: int, reason: str) -> None:
    """Record why an export failed; the page shows it instead of polling for ever."""
    # Only an export still in flight: a done one keeps its file, a failed one its first reason.
    PlanExport.objects.filter(pk=export_id, status__in=[PlanExport.Status.QUEUED, PlanExport.Status.RENDERING]).update(
        status=PlanExport.Status.FAILED, error=reason[:2000], finished_at=timezone.now(), updated_at=timezone.now()
    )


# --- The task and its sweeper ----------------------------------------------------------------

# A 22-page plan renders in about 1.5 s; a minute means something is wrong (a pathological
# table), and the hard limit frees the worker if the soft one cannot interrupt WeasyPrint.
SOFT_TIME_LIMIT = 60
TIME_LIMIT = 90
RETRY_BACKOFF_MAX = 120
# A render still "rendering" this long after it started has lost its worker (killed with the
# job): no render lives past TIME_LIMIT. The sweeper sends the job again. Queued exports
# whose job the broker took but no worker ran (a broker that lost its queue) wait longer.
RENDER_STALLED_AFTER = dt.timedelta(seconds=2 * TIME_LIMIT)
QUEUE_STALLED_AFTER = dt.timedelta(minutes=10)
# Renders started this many times without finishing (each killed its worker?) are failed
# with the reason rather than tried for ever.
MAX_RENDER_ATTEMPTS = 3
RENDER_TASK_NAME = "plans.tasks.render_export_task"


class ExportTask(OutboxTask):
    # The export shows "Rendering" while it runs: its writes commit as they go. export_render
    # is idempotent, so two deliveries at once are harmless.
    outbox_atomic = False

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # Retries exhausted, hard time limit, or anything else: the page must stop polling.
        export_id = kwargs.get("export_id") or (args[0] if args else None)
        if export_id is not None:
            export_fail(export_id=export_id, reason=f"The export failed ({type(exc).__name__}). Please try again.")


@shared_task(
    bind=True,
    base=ExportTask,
    name=RENDER_TASK_NAME,
    acks_late=True,  # acknowledged when done: a worker that dies leaves the job on the broker
    reject_on_worker_lost=True,  # a pool process killed mid-render hands the job back at once
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=5,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_export_task(self: Task[Any, Any], export_id: int, outbox_id: int | None = None) -> None:
    export_render(export_id=export_id)


def export_sweep() -> dict[str, int]:
    """Beat's sweeper: an export left "rendering" past the render limit (its whole worker
    was killed: nothing hands the job back until the broker's visibility timeout) or
    "queued" long after the broker took its job is sent again through the outbox; after
    MAX_RENDER_ATTEMPTS starts it is failed with the reason. Exports whose job still waits in
    the outbox for the broker are left to the outbox."""
    now = timezone.now()
    stalled = PlanExport.objects.filter(
        Q(status=PlanExport.Status.RENDERING, started_at__lt=now - RENDER_STALLED_AFTER)
        | Q(status=PlanExport.Status.QUEUED, updated_at__lt=now - QUEUE_STALLED_AFTER)
    )
    requeued = failed = 0
    for export_id in list(stalled.values_list("pk", flat=True)[:100]):
        with transaction.atomic():
            export = PlanExport.objects.select_for_update(skip_locked=True).filter(pk=export_id).first()
            if export is None or not export.in_flight or _job_waiting(export.pk):
                continue
            if export.attempts >= MAX_RENDER_ATTEMPTS:
                export_fail(
                    export_id=export.pk,
                    reason=f"Rendering was interrupted {export.attempts} times (the worker stopped). Please try again.",
                )
                failed += 1
                continue
            PlanExport.objects.filter(pk=export.pk).update(status=PlanExport.Status.QUEUED, updated_at=now)
            outbox_enqueue(render_export_task, export_id=export.pk)
            requeued += 1
    if requeued or failed:
        log.warning("export sweep: %s requeued, %s failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}


@shared_task(name="plans.tasks.export_sweep_task", acks_late=True)
def export_sweep_task() -> dict[str, int]:
    return export_sweep()
