"""Export services and the task: reuse, idempotency, template versions, refusals, faults.

Without a broker configured (the tests' default) Celery runs the task in-process, so
export_request finishes the render before it returns; the Redis tests use a real worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import socket
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from oakview.celery import app
from oakview.core.models import AuditEvent, OutboxMessage
from plans.models import PlanExport, PlanRevision
from plans.services.exports import ExportRefused, export_render, export_request, export_sweep
from plans.tasks import render_export_task
from tests.services import committed, require_redis

from .pdf_fixtures import approved_revision, submitted_revision


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def closed_port() -> int:
    # Bind, note the port, close: nothing listens there, so a connection is really refused.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_export_renders_stores_and_records_the_file(personas):
    revision = approved_revision(personas)
    with committed():
        export = export_request(revision=revision, by=personas.manager)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.DONE
    assert export.requested_by == personas.manager
    with export.file.open("rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) == export.page_count > 8

    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.size == len(data)
    assert export.template_version == 1 and export.attempts == 1
    assert re.fullmatch(rf"exports/plan-{revision.plan_id}/r1-v1-{export.sha256[:16]}\.pdf", export.file.name)
    assert AuditEvent.objects.filter(action="export_requested", object_id=revision.pk).exists()


def test_exporting_the_same_revision_again_reuses_the_stored_file(personas):
    revision = approved_revision(personas)
    with committed():
        first = export_request(revision=revision, by=personas.manager)
    first.refresh_from_db()
    # Mark the stored file: a fresh render could not produce these bytes.
    with default_storage.open(first.file.name, "wb") as f:
        f.write(b"%PDF-stored-file")
    with committed():
        second = export_request(revision=revision, by=personas.viewer if False else personas.manager)
    assert second.pk != first.pk and second.status == PlanExport.Status.DONE
    assert second.file.name == first.file.name and second.sha256 == first.sha256
    with second.file.open("rb") as f:
        assert f.read() == b"%PDF-stored-file"
    assert AuditEvent.objects.filter(action="export_reused").count() == 1


def test_a_new_template_version_renders_afresh(personas, settings):
    revision = approved_revision(personas)
    with committed():
        first = export_request(revision=revision, by=personas.manager)
    first.refresh_from_db()
    settings.PDF_TEMPLATE_VERSION = 2
    with committed():
        second = export_request(revision=revision, by=personas.manager)
    second.refresh_from_db()
    assert second.status == PlanExport.Status.DONE and second.template_version == 2
    assert second.file.name != first.file.name
    assert default_storage.exists(first.file.name)  # an earlier download stays valid


def test_render_task_is_idempotent_for_a_done_export(personas):
    revision = approved_revision(personas)
    with committed():
        export = export_request(revision=revision, by=personas.manager)
    export.refresh_from_db()
    before = (export.file.name, export.sha256, export.attempts, export.finished_at)
    render_export_task.delay(export_id=export.pk).get(timeout=5)
    export.refresh_from_db()
    assert (export.file.name, export.sha256, export.attempts, export.finished_at) == before


def test_an_export_left_rendering_by_a_dead_worker_is_rendered_again(personas):
    revision = approved_revision(personas)
    export = PlanExport.objects.create(
        revision=revision, requested_by=personas.manager, status=PlanExport.Status.RENDERING, template_version=1, attempts=1
    )
    export_render(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.DONE and export.attempts == 2 and export.file


@pytest.mark.parametrize("status", ["submitted", "changes_requested"])
def test_an_unapproved_revision_is_refused_and_nothing_is_created(personas, status):
    revision = submitted_revision(personas)
    PlanRevision.objects.filter(pk=revision.pk).update(status=status)
    revision.refresh_from_db()
    with pytest.raises(ExportRefused, match="Only an approved revision can be exported"):
        export_request(revision=revision, by=personas.manager)
    assert not PlanExport.objects.exists()


def test_a_render_error_marks_the_export_failed_with_its_reason(personas):
    good = approved_revision(personas)
    # A snapshot the renderer cannot read (a corrupt row): the failure is recorded, not retried forever.
    revision = PlanRevision.objects.create(
        plan=good.plan,
        number=2,
        schema=1,
        snapshot={"schema": 1, "plan": {"training": [{"starts_at": "not a date"}]}},
        submitted_by=personas.manager,
        status="approved",
    )
    export = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1)
    export_render(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.FAILED
    assert export.error.startswith("The PDF could not be rendered (")


@pytest.mark.celery(
    broker_url=f"redis://127.0.0.1:{closed_port()}/0",
    # As in settings: give up on a dead broker quickly so the request can answer.
    broker_transport_options={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
)
def test_redis_down_keeps_the_request_and_its_job_waits_in_the_outbox(personas, celery_app):
    celery_app.set_current()  # the fixture restores the previous app afterwards
    assert not celery_app.conf.task_always_eager
    revision = approved_revision(personas)
    started = time.monotonic()
    with committed():
        export = export_request(revision=revision, by=personas.manager)
    assert time.monotonic() - started < 10  # fails fast rather than hanging the request
    assert export.waiting_for_queue and export.status == PlanExport.Status.QUEUED
    job = OutboxMessage.objects.get()
    assert (job.status, job.kwargs) == (OutboxMessage.Status.PENDING, {"export_id": export.pk})
    assert AuditEvent.objects.filter(action="export_requested").exists()

    # Asked again: the same export, and still one job.
    with committed():
        again = export_request(revision=revision, by=personas.manager)
    assert again.pk == export.pk and OutboxMessage.objects.count() == 1


@pytest.mark.redis
def test_a_real_worker_renders_the_export_through_redis(redis_worker, personas):
    require_redis()
    revision = approved_revision(personas)
    export = export_request(revision=revision, by=personas.manager)
    assert export.status == PlanExport.Status.QUEUED  # not eager: the worker does it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in (PlanExport.Status.DONE, PlanExport.Status.FAILED):
            break
        time.sleep(0.2)
    assert export.status == PlanExport.Status.DONE, export.error
    with export.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert export.page_count > 8


def test_a_stalled_export_is_sent_again_rather_than_duplicated(personas):
    revision = approved_revision(personas)
    stalled = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1)
    PlanExport.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=10))
    with committed():
        again = export_request(revision=revision, by=personas.manager)
    assert again.pk == stalled.pk and PlanExport.objects.count() == 1
    again.refresh_from_db()
    assert again.status == PlanExport.Status.DONE  # in-process here: the resent job ran


def test_a_recent_in_flight_export_is_returned_not_duplicated(personas):
    revision = approved_revision(personas)
    queued = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1)
    assert export_request(revision=revision, by=personas.manager).pk == queued.pk
    assert PlanExport.objects.count() == 1


@pytest.mark.parametrize("who", ["approver", "viewer", "staff", "stranger"])
def test_only_the_manager_may_request_an_export(personas, who):
    revision = approved_revision(personas)
    with pytest.raises(PermissionDenied):
        export_request(revision=revision, by=getattr(personas, who))
    assert not PlanExport.objects.exists()


def test_the_task_is_thin_late_acked_retried_and_time_limited():
    task = render_export_task
    assert task.name == "plans.tasks.render_export_task"
    assert task.acks_late and task.reject_on_worker_lost
    assert OperationalError in task.autoretry_for and task.retry_backoff and task.max_retries == 5
    assert 0 < task.soft_time_limit < task.time_limit


def test_a_revision_beyond_the_row_limit_fails_at_once_with_a_clear_message(personas, settings):
    revision = approved_revision(personas)
    rows = len(revision.snapshot["plan"]["actions"]) + len(revision.snapshot["plan"]["training"])
    settings.PDF_MAX_ROWS = rows - 1  # the documented limit, lowered to this small plan
    started = time.monotonic()
    with committed():
        export = export_request(revision=revision, by=personas.manager)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.FAILED and not export.file
    assert "more than the" in export.error and "a PDF export can hold" in export.error and "CSV" in export.error
    assert time.monotonic() - started < 5  # refused before any layout, not after the time limit


def test_a_layout_beyond_the_page_limit_fails_before_the_file_is_written(personas, settings):
    revision = approved_revision(personas)
    settings.PDF_MAX_PAGES = 3
    with committed():
        export = export_request(revision=revision, by=personas.manager)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.FAILED and not export.file
    assert "pages, more than the 3 a PDF export can hold" in export.error


def test_workers_replace_a_child_that_grew_or_ran_many_tasks(settings):
    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    assert app.conf.worker_max_tasks_per_child == settings.CELERY_WORKER_MAX_TASKS_PER_CHILD > 0


def test_the_sweeper_leaves_live_and_waiting_exports_alone_and_gives_up_after_three_starts(personas):
    revision = approved_revision(personas)
    long_ago = timezone.now() - dt.timedelta(hours=1)

    def export(**fields):
        row = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1, **fields)
        PlanExport.objects.filter(pk=row.pk).update(updated_at=long_ago)
        return row

    rendering_now = export(status="rendering", started_at=timezone.now(), attempts=1)
    waiting = export(status="queued")  # its job waits in the outbox for the broker
    OutboxMessage.objects.create(task_name="plans.tasks.render_export_task", kwargs={"export_id": waiting.pk})
    worn_out = export(status="rendering", started_at=long_ago, attempts=3)
    assert export_sweep() == {"requeued": 0, "failed": 1}
    assert PlanExport.objects.get(pk=rendering_now.pk).status == "rendering"
    assert PlanExport.objects.get(pk=waiting.pk).status == "queued"
    worn_out.refresh_from_db()
    assert worn_out.status == "failed" and "interrupted 3 times" in worn_out.error
