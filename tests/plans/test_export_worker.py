"""A worker killed in the middle of a render: the job goes back on the queue (acks_late,
reject_on_worker_lost) and the export finishes. A real `celery worker` process on Redis,
a real SIGKILL of the pool process doing the render."""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from plans.models import PlanExport, PlanRevision
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
