"""A worker killed in the middle of a render: the job goes back on the queue (acks_late,
reject_on_worker_lost) and the export finishes. A real `celery worker` process on Redis,
a real SIGKILL of the pool process doing the render."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import time_machine
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from plans.models import PlanExport, PlanRevision
from plans.services.exports import (
    RENDER_STALLED_AFTER,
    RETRY_BACKOFF_MAX,
    TIME_LIMIT,
    export_sweep,
    export_sweep_task,
    render_export_task,
)
from tests.faults import celery_at
from tests.services import REDIS_DB_BASE, redis_url, require_redis

from .pdf_fixtures import approved_revision

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(c) for c in text)
    return found


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def long_revision(personas) -> PlanRevision:
    base = approved_revision(personas)
    # A long document (a table at the narrative limit): several seconds of layout.
    snapshot = copy.deepcopy(base.snapshot)
    rows = "\n".join(f"| r{i} | {'x' * 8} |" for i in range(1700))
    snapshot["plan"]["narratives"]["planning"] = ("| a | b |\n|---|---|\n" + rows)[:30000]
    return PlanRevision.objects.create(
        plan=base.plan, number=2, schema=1, snapshot=snapshot, submitted_by=personas.manager, status="approved"
    )


@contextlib.contextmanager
def celery_worker_process(tmp_path):
    """`celery -A oakview worker` (prefork, one pool process) on the tests' Redis database and
    this test's database; yields (process, sender app, log path)."""
    broker = redis_url(REDIS_DB_BASE)
    sender = Celery("sender", broker=broker)
    sender.conf.broker_connection_retry_on_startup = False
    with sender.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": redis_url(REDIS_DB_BASE + 1),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "oakview",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker, sender, log_path
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)
        log.close()


@pytest.mark.redis
def test_an_export_whose_worker_is_killed_mid_render_is_picked_up_again(transactional_db, personas, tmp_path):
    require_redis()
    revision = long_revision(personas)
    export = PlanExport.objects.create(
        revision=revision, requested_by=personas.manager, template_version=settings.PDF_TEMPLATE_VERSION
    )
    with celery_worker_process(tmp_path) as (worker, sender, log_path):
        sender.send_task("plans.tasks.render_export_task", kwargs={"export_id": export.pk})
        wait_for(lambda: PlanExport.objects.get(pk=export.pk).status == "rendering", 60, "the render to start")
        pool = wait_for(lambda: children(worker.pid), 10, "the pool process")
        os.kill(pool[0], signal.SIGKILL)
        wait_for(lambda: PlanExport.objects.get(pk=export.pk).status in ("done", "failed"), 90, "the export to finish")
    export.refresh_from_db()
    assert export.status == PlanExport.Status.DONE, export.error
    assert export.attempts >= 2  # the first attempt died with its process
    assert (tmp_path / "media" / export.file.name).read_bytes().startswith(b"%PDF")
    assert "exited with 'signal 9 (SIGKILL)'" in log_path.read_text()


@pytest.mark.redis
def test_a_render_over_its_time_limit_is_stopped_and_says_why(transactional_db, personas, tmp_path):
    require_redis()
    revision = long_revision(personas)
    export = PlanExport.objects.create(
        revision=revision, requested_by=personas.manager, template_version=settings.PDF_TEMPLATE_VERSION
    )
    with celery_worker_process(tmp_path) as (worker, sender, log_path):
        # The same task with a 1 s soft limit instead of 60 s: the long render cannot make it.
        sender.send_task("plans.tasks.render_export_task", kwargs={"export_id": export.pk}, soft_time_limit=1, time_limit=20)
        wait_for(lambda: PlanExport.objects.get(pk=export.pk).status in ("done", "failed"), 60, "the export to stop")
    export.refresh_from_db()
    assert export.status == PlanExport.Status.FAILED
    assert export.error == "Rendering took too long and was stopped."
    assert not export.file


def _kill_whole_worker(worker: subprocess.Popen) -> None:
    """kill -9 of the main process and its pool at once, as a lost machine or the OOM killer
    would: nothing is left to hand the job back."""
    for pid in children(worker.pid):
        os.kill(pid, signal.SIGKILL)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)


@pytest.mark.redis
def test_a_whole_worker_killed_mid_render_then_a_new_worker_finishes_it(transactional_db, personas, tmp_path, settings):
    require_redis()
    revision = long_revision(personas)
    export = PlanExport.objects.create(
        revision=revision, requested_by=personas.manager, template_version=settings.PDF_TEMPLATE_VERSION
    )
    with celery_worker_process(tmp_path) as (worker, sender, log_path):
        sender.send_task("plans.tasks.render_export_task", kwargs={"export_id": export.pk})
        wait_for(lambda: PlanExport.objects.get(pk=export.pk).status == "rendering", 60, "the render to start")
        _kill_whole_worker(worker)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.RENDERING  # nobody is left to finish or fail it

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_worker_process(tmp_path) as (worker, sender, log_path):
        with celery_at(redis_url(REDIS_DB_BASE), redis_url(REDIS_DB_BASE + 1)):
            # Beat's sweeper, once the render is older than any render may live.
            later = timezone.now() + RENDER_STALLED_AFTER + dt.timedelta(seconds=30)
            with time_machine.travel(later, tick=True):
                assert export_sweep() == {"requeued": 1, "failed": 0}
                assert export_sweep() == {"requeued": 0, "failed": 0}  # in hand: not sent twice
        wait_for(lambda: PlanExport.objects.get(pk=export.pk).status in ("done", "failed"), 120, "the export to finish")
    export.refresh_from_db()
    assert export.status == PlanExport.Status.DONE, export.error
    assert export.attempts == 2
    files = [p for p in (tmp_path / "media").rglob("*.pdf")]
    assert [str(p.relative_to(tmp_path / "media")) for p in files] == [export.file.name]


def test_the_visibility_timeout_outlasts_the_longest_render():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    # Shorter, a long render would be handed to a second worker while the first still works.
    assert visibility > TIME_LIMIT and visibility > RETRY_BACKOFF_MAX
    assert RENDER_STALLED_AFTER.total_seconds() > TIME_LIMIT
    assert render_export_task.acks_late and render_export_task.reject_on_worker_lost
    assert settings.CELERY_BEAT_SCHEDULE["export-sweep"]["task"] == export_sweep_task.name


@pytest.mark.django_db(transaction=True)
def test_the_same_job_delivered_twice_at_once_leaves_one_file(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    revision = approved_revision(personas)
    export = PlanExport.objects.create(
        revision=revision, requested_by=personas.manager, template_version=settings.PDF_TEMPLATE_VERSION
    )
    # A second export of the same revision, asked for at the same moment in another tab.
    twin = PlanExport.objects.create(
        revision=revision, requested_by=personas.manager, template_version=settings.PDF_TEMPLATE_VERSION
    )
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def deliver(export_id: int) -> None:
        try:
            start.wait()
            render_export_task.apply(kwargs={"export_id": export_id}, throw=True)
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(pk,)) for pk in (export.pk, export.pk, twin.pk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    # And once more, later (a broker redelivery): nothing new.
    render_export_task.apply(kwargs={"export_id": export.pk}, throw=True)

    export.refresh_from_db()
    twin.refresh_from_db()
    assert (export.status, twin.status) == (PlanExport.Status.DONE, PlanExport.Status.DONE)
    assert export.file.name == twin.file.name
    assert [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.pdf")] == [export.file.name]
