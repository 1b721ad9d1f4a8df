"""Export services: request a PDF of an approved revision, render it in a worker.

Rendering is deterministic for a revision and a template version, so a finished file is
reused rather than rendered again; bumping settings.PDF_TEMPLATE_VERSION (when
templates/pdf changes) makes the next export render afresh. The Celery task that renders
lives here too, beside the request that queues it (see plans.services.notifications).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from oakview.core.access import WRITE_ROLES, role_in
from oakview.core.audit import audit_record
from oakview.core.models import User
from plans.models import PlanExport, PlanRevision
from plans.pdf.render import DocumentTooLarge, render_revision

log = logging.getLogger(__name__)

# Database hiccups are worth a retry; a template or data error will fail the same way again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class ExportRefused(Exception):
    """The revision may not be exported (a draft, awaiting review, changes requested)."""


class ExportNotQueued(Exception):
    """The broker did not take the job; nothing was left behind."""


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

    Raises PermissionDenied unless `by` manages the home, ExportRefused for a revision that
    is not approved, ExportNotQueued when the broker is down (the queued row is removed
    again, so nothing half-made remains).
    """
    if role_in(by, revision.plan.home_id) not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can export a plan.")
    version = settings.PDF_TEMPLATE_VERSION
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
        if in_flight is not None and not in_flight.stalled:
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

    # Enqueued inside the request, after the row is committed so the worker can read it.
    # If the broker refuses, the row goes again: the page must not show a job nobody will do.
    try:
        render_export_task.delay(export_id=export.pk)
    except Exception as exc:
        if not _is_broker_error(exc):
            raise
        log.warning("PDF export %s could not be queued: %s", export.pk, exc)
        if in_flight is None:
            PlanExport.objects.filter(pk=export.pk).delete()
        raise ExportNotQueued(
            "The export could not be queued: the task queue is not reachable. Please try again shortly."
        ) from exc
    export.refresh_from_db()
    _audit(export, by, "export_requested", f"PDF of revision {revision.number} requested")
    return export


def _is_broker_error(exc: Exception) -> bool:
    return isinstance(exc, (KombuOperationalError, RedisConnectionError, ConnectionError, TimeoutError))


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

    data = rendered.data
    sha = hashlib.sha256(data).hexdigest()
    # One file per revision and template version; the hash in the name means a re-render that
    # differs (e.g. a new WeasyPrint) never overwrites a file someone already downloaded.
    # The field's upload_to adds exports/<year>/<month>/.
    name = f"plan-{revision.plan_id}-r{revision.number}-v{version}-{sha[:16]}.pdf"
    with transaction.atomic():
        export = PlanExport.objects.select_for_update().get(pk=export.pk)
        export.file.save(name, ContentFile(data), save=False)
        export.sha256 = sha
        export.size = len(data)
        export.page_count = rendered.pages
        export.status = PlanExport.Status.DONE
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


# --- The task -------------------------------------------------------------------------------

# A 22-page plan renders in about 1.5 s; a minute means something is wrong (a pathological
# table), and the hard limit frees the worker if the soft one cannot interrupt WeasyPrint.
SOFT_TIME_LIMIT = 60
TIME_LIMIT = 90


class ExportTask(Task[Any, Any]):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # Retries exhausted, hard time limit, or anything else: the page must stop polling.
        export_id = kwargs.get("export_id") or (args[0] if args else None)
        if export_id is not None:
            export_fail(export_id=export_id, reason=f"The export failed ({type(exc).__name__}). Please try again.")


@shared_task(
    bind=True,
    base=ExportTask,
    name="plans.tasks.render_export_task",
    acks_late=True,
    reject_on_worker_lost=True,  # a worker killed mid-render hands the job back to the queue
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_export_task(self: Task[Any, Any], export_id: int) -> None:
    export_render(export_id=export_id)
