"""The PDF: the pipeline against WeasyPrint alone on the same HTML (like for like), its
peak memory, and 20 exports through Redis on a 2-process Celery worker."""

from __future__ import annotations

import gc
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import ROOT, interleaved


@dataclass
class PdfResult:
    name: str
    pages: int
    kib: int
    pipeline_s: float
    alone_s: float
    alone_paused_s: float
    peak_mib: float = 0.0
    base_mib: float = 0.0

    @property
    def like_for_like(self) -> float:
        return self.pipeline_s / self.alone_paused_s

    @property
    def ratio(self) -> float:
        return self.pipeline_s / self.alone_s


def compare(name: str, revision: Any, rounds: int, tmp: Path) -> PdfResult:
    from weasyprint import HTML

    from plans.pdf import STATIC_SCHEME
    from plans.pdf.render import PDF_VARIANT, build_html, render_revision, revision_meta

    # The same HTML the pipeline renders, pointing at the files on disk instead of the app's
    # static scheme, so WeasyPrint's own fetcher reads the same CSS and fonts.
    html = build_html(revision.snapshot, revision_meta(revision))
    static_root = (ROOT / "static").as_uri() + "/"
    css_copy = tmp / "print.css"
    css_copy.write_text((ROOT / "static" / "pdf" / "print.css").read_text().replace(STATIC_SCHEME, static_root))
    plain_html = html.replace(f"{STATIC_SCHEME}pdf/print.css", css_copy.as_uri()).replace(STATIC_SCHEME, static_root)
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}
    out: dict[str, Any] = {}

    def pipeline() -> bytes:
        out["pdf"] = render_revision(revision)
        return out["pdf"].data

    def alone() -> bytes:
        return HTML(string=plain_html).write_pdf(**options)

    def alone_paused() -> bytes:
        gc.disable()
        try:
            return HTML(string=plain_html).write_pdf(**options)
        finally:
            gc.enable()

    times = interleaved({"pipeline": pipeline, "alone": alone, "paused": alone_paused}, rounds)
    rendered = out["pdf"]
    result = PdfResult(
        name, rendered.pages, len(rendered.data) // 1024,
        statistics.median(times["pipeline"]), statistics.median(times["alone"]), statistics.median(times["paused"]),
    )  # fmt: skip
    result.base_mib, result.peak_mib = peak_memory(revision.pk)
    print(f"  {name:<36} {result.pages} pages: pipeline {result.pipeline_s:.2f} s, WeasyPrint alone {result.alone_s:.2f} s "
          f"(collector paused {result.alone_paused_s:.2f} s): like for like {result.like_for_like:.3f}x; "
          f"peak {result.peak_mib:.0f} MiB (process at start {result.base_mib:.0f} MiB)", flush=True)  # fmt: skip
    return result


def peak_memory(revision_id: int) -> tuple[float, float]:
    """(resident MiB of a fresh process once Django is set up, its peak after one render)."""
    code = (
        "import sys, resource; sys.path.insert(0, 'benchmarks'); import common; common.production_env(sys.argv[1]);"
        "import django; django.setup(); from plans.models import PlanRevision; from plans.pdf.render import render_revision;"
        "import weasyprint; r = PlanRevision.objects.get(pk=int(sys.argv[2]));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); render_revision(r);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, os.environ["DATABASE_URL"], str(revision_id)], cwd=ROOT, capture_output=True, text=True
    )
    lines = [line for line in out.stdout.split() if line.isdigit()]
    if len(lines) < 2:
        return 0.0, 0.0
    return int(lines[0]) / 1024, int(lines[1]) / 1024


@dataclass
class ExportRun:
    name: str
    count: int
    done: int
    failed: int
    duplicates: int
    seconds: float

    @property
    def per_minute(self) -> float:
        return self.done / self.seconds * 60 if self.seconds else 0.0


def exports(name: str, snapshot: dict[str, Any], count: int, broker: str, timeout: float = 600) -> ExportRun:
    """`count` approved revisions of one snapshot on a fresh plan, an export requested for
    each at once, a real worker (2 processes) on Redis rendering them."""
    from django.utils import timezone

    from oakview.core.models import CareHome, User
    from plans.models import Plan, PlanDecision, PlanExport, PlanRevision
    from plans.services.exports import export_request

    manager, approver = User.objects.get(username="manager"), User.objects.get(username="approver")
    plan = Plan.objects.create(home=CareHome.objects.get(name="Oak View"), author=manager,
                               title=f"Bench exports {timezone.now():%Y-%m-%d %H:%M:%S}", status=Plan.Status.APPROVED)  # fmt: skip
    revisions = []
    for number in range(1, count + 1):
        revision = PlanRevision.objects.create(plan=plan, number=number, schema=1, snapshot=snapshot, submitted_by=manager,
                                               status=PlanRevision.Status.APPROVED)  # fmt: skip
        PlanDecision.objects.create(revision=revision, approver=approver, outcome="approved")
        revisions.append(revision)
    env = dict(os.environ, CELERY_BROKER_URL=broker)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "oakview", "worker", "--concurrency", "2", "--pool", "prefork",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(5)  # the worker's start-up is not the exports' time
        started = time.perf_counter()
        for revision in revisions:
            export_request(revision=revision, by=manager)
        ids = list(PlanExport.objects.filter(revision__plan=plan).values_list("pk", flat=True))
        while time.perf_counter() - started < timeout:
            pending = PlanExport.objects.filter(pk__in=ids).exclude(status__in=[PlanExport.Status.DONE, PlanExport.Status.FAILED])
            if not pending.exists():
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        exports_ = list(PlanExport.objects.filter(revision__plan=plan))
        per_revision = [sum(1 for e in exports_ if e.revision_id == r.pk) for r in revisions]
        files = [e.file.name for e in exports_ if e.file]
        result = ExportRun(
            name, count,
            sum(1 for e in exports_ if e.status == PlanExport.Status.DONE),
            sum(1 for e in exports_ if e.status == PlanExport.Status.FAILED),
            sum(n - 1 for n in per_revision if n > 1) + (len(files) - len(set(files))),
            seconds,
        )  # fmt: skip
        print(f"  {name:<36} {result.done} of {count} done, {result.failed} failed, {result.duplicates} duplicated, "
              f"in {seconds:.1f} s: {result.per_minute:.1f} a minute", flush=True)  # fmt: skip
        return result
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def pages_of(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


__all__ = ["ExportRun", "PdfResult", "compare", "exports", "pages_of", "resource"]
