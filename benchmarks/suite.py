"""make bench, after the PDF benchmark (run.py): the large plan's pages, under load, and its PDF, each against a baseline
measured in the same run (issue 14). Outside the test suite; figures are ratios.

    BENCH_DATABASE_URL=postgres://.../oakview_bench  (default: oakview_bench on localhost)
    BENCH_BROKER_URL=redis://127.0.0.1:6379/14       (the exports' worker)
    BENCH_ONLY=pages,http,pdf,exports                 (any subset; default all)
    BENCH_ROUNDS=7  BENCH_PDF_ROUNDS=3  BENCH_WRK_SECONDS=15  BENCH_PORT=8114
    BENCH_WRITE=1                                     (rewrite docs/performance.md)

Seeds the database it is given with `seed_demo` and `seed_large` when the large plan is
not there yet (a database of its own: never your development one). Every figure prints as
it comes; the report goes to docs/performance.md only with BENCH_WRITE=1, else to
/tmp/oakview-bench-report.md.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, load, machine, production_env  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/oakview_bench")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "pages,http,pdf,exports").split(",")))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
PDF_ROUNDS = int(os.environ.get("BENCH_PDF_ROUNDS", "3"))
EXPORTS = int(os.environ.get("BENCH_EXPORTS", "20"))


def setup() -> None:
    production_env(DATABASE_URL)
    os.environ["CELERY_BROKER_URL"] = BROKER_URL  # exports go through Redis to a real worker
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def seeded() -> tuple:
    from django.core.management import call_command

    from plans.demo.large import large_title
    from plans.models import Plan, PlanRevision

    if not Plan.objects.filter(title=large_title(1)).exists():
        print("Seeding the demo and the large plan (once per database)...", flush=True)
        call_command("seed_demo", "--force", stdout=io.StringIO())
        call_command("seed_large", "--force", stdout=io.StringIO())
    large = Plan.objects.get(title=large_title(1))
    demo = Plan.objects.filter(home__name="Oak View", title__startswith="Going digital").order_by("pk").first()
    demo_revision = demo.revisions.filter(status=PlanRevision.Status.APPROVED).order_by("-number").first() if demo else None
    large_revision = large.revisions.filter(status=PlanRevision.Status.APPROVED).order_by("-number").first()
    return large, demo_revision, large_revision


def verdict(ok: bool) -> str:
    return "**meets**" if ok else "**misses**"


def main() -> None:
    setup()
    import http_load
    import pages as page_bench
    import pdf as pdf_bench
    from weasyprint import __version__ as weasyprint_version

    large, demo_revision, large_revision = seeded()
    started = dt.datetime.now(dt.UTC)
    load_before = load()
    print(f"{machine()}; load {load_before}", flush=True)
    page_results, wrk_results, pdf_results, export_results = [], [], [], []
    if "pages" in ONLY:
        print(f"Pages of “{large.title}” against a bare template of the same rows ({ROUNDS} interleaved rounds):", flush=True)
        page_results = page_bench.run(large, ROUNDS)
    if "http" in ONLY:
        print("gunicorn, 2 sync workers, wrk with 8 connections:", flush=True)
        wrk_results = http_load.run(large)
    with tempfile.TemporaryDirectory(prefix="oakview-bench-") as tmp:
        if "pdf" in ONLY:
            print(f"PDF, pipeline against WeasyPrint alone on the same HTML ({PDF_ROUNDS} interleaved rounds):", flush=True)
            for name, revision in (("Demo plan", demo_revision), ("Large plan", large_revision)):
                if revision is not None:
                    pdf_results.append(pdf_bench.compare(name, revision, PDF_ROUNDS, Path(tmp)))
    if "exports" in ONLY:
        print(f"{EXPORTS} exports at once, one Celery worker with 2 processes on Redis:", flush=True)
        for name, revision in (("Demo plan", demo_revision), ("Large plan", large_revision)):
            if revision is not None:
                export_results.append(pdf_bench.exports(name, revision.snapshot, EXPORTS, BROKER_URL))
    load_after = load()
    report = render_report(
        started, load_before, load_after, weasyprint_version, large, page_results, wrk_results, pdf_results, export_results
    )
    if os.environ.get("BENCH_WRITE") == "1":
        target = ROOT / "docs" / "performance.md"
    else:
        target = Path("/tmp/oakview-bench-report.md")
    target.write_text(report)
    print(f"Report written to {target}" + ("" if target.is_relative_to(ROOT) else " (BENCH_WRITE=1 writes docs/performance.md)"))


def render_report(started, load_before, load_after, weasyprint_version, large, pages, wrk, pdfs, exports) -> str:
    counts = (
        f"{large.actions.count()} actions, {large.training_sessions.count()} training sessions, "
        f"{large.revisions.count()} revisions, {large.risks.count()} risks, {large.stakeholders.count()} stakeholders"
    )
    out = [
        "# Performance: large plans, measured side by side",
        "",
        f"Measured by `make bench` (`benchmarks/run.py`) on {started:%d %B %Y}, {started:%H:%M} UTC.",
        "",
        f"**Machine:** {machine()}; WeasyPrint {weasyprint_version}; PostgreSQL, production settings (`DEBUG=false`).",
        f"**Load** (1, 5, 15 min): {load_before} before, {load_after} after. The machine's two cores were shared",
        "with other work during the run, so absolute times are inflated and noisy; every figure that",
        "counts is a ratio of two things measured in the same run, interleaved round by round (medians).",
        "",
        f"The large plan (`manage.py seed_large`): {counts}.",
        "",
    ]
    if pages:
        out += [
            "## Pages against a bare template of the same rows",
            "",
            "Each page through Django's test client in-process, against a bare template (a heading and a",
            "table per kind of row, no layout, no queries) rendering the rows the page shows from memory;",
            "for the CSVs, Python's csv writer on the same rows. Target: every page within 2x.",
            "",
            "| page | page ms | bare ms | ratio | queries | rows | target ≤ 2x |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in pages:
            out.append(
                f"| {r.name} | {r.page_ms:.1f} | {r.bare_ms:.1f} | {r.ratio:.2f}x | {r.queries} | {r.rows} | {verdict(r.ratio <= 2)} |"
            )
        out.append("")
    if wrk:
        out += [
            "## Under load: gunicorn (2 sync workers), wrk with 8 connections",
            "",
            "`/healthz` in the same run is the ceiling (the stack's cost with no page). Target: the review",
            "page with no errors and p99 within 4x its p50.",
            "",
            "| URL | req/s | p50 ms | p99 ms | p99 / p50 | errors / requests |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in wrk:
            out.append(f"| {r.name} | {r.rps:.1f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.tail:.1f} | {r.errors} / {r.requests} |")
        review = next((r for r in wrk if r.name.startswith("Review")), None)
        if review:
            out += ["", f"Review page: {verdict(review.errors == 0 and review.tail <= 4)} (0 errors, p99 ≤ 4x p50)."]
        out.append("")
    if pdfs:
        out += [
            "## The PDF against WeasyPrint alone",
            "",
            "The pipeline (`render_revision`: database reads, templates, appendices, charts, the",
            "restrictive fetcher, WeasyPrint with the cyclic collector paused) against WeasyPrint alone on",
            "the same HTML with its default fetcher, collector paused too (like for like) and on.",
            "Target: like for like ≤ 1.10x. Peak memory is a fresh process's maximum resident size after",
            "one render.",
            "",
            "| document | pages | KiB | pipeline s | alone s | alone, collector paused s | like for like | peak MiB (at start) | target ≤ 1.10x |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in pdfs:
            out.append(
                f"| {r.name} | {r.pages} | {r.kib} | {r.pipeline_s:.2f} | {r.alone_s:.2f} | {r.alone_paused_s:.2f} | "
                f"{r.like_for_like:.3f}x | {r.peak_mib:.0f} ({r.base_mib:.0f}) | {verdict(r.like_for_like <= 1.10)} |"
            )
        out.append("")
    if exports:
        out += [
            f"## {exports[0].count} exports at once on one worker with 2 processes",
            "",
            "Distinct approved revisions of the same snapshot, each export requested through the service",
            "(outbox, Redis, a real `celery worker --concurrency 2`), timed from the first request to the",
            "last file. Targets: none lost or duplicated; at least 40 a minute for the demo.",
            "",
            "| document | done | failed | duplicated | seconds | per minute | target |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in exports:
            ok = r.done == r.count and r.duplicates == 0 and (r.per_minute >= 40 if r.name.startswith("Demo") else True)
            out.append(
                f"| {r.name} | {r.done} | {r.failed} | {r.duplicates} | {r.seconds:.1f} | {r.per_minute:.1f} | {verdict(ok)} |"
            )
        out.append("")
    out += [
        "## Limits and settings these figures support",
        "",
        "- Worker children are replaced past `CELERY_WORKER_MAX_MEMORY_PER_CHILD` (400 MB) and after",
        "  `CELERY_WORKER_MAX_TASKS_PER_CHILD` (50) tasks; exports beyond `PDF_MAX_ROWS` (4000 table",
        "  rows) or `PDF_MAX_PAGES` (400 pages) fail at once with a message (docs/deployment.md).",
        "- Query counts per page are asserted flat at 5 and 500 rows in tests/plans/test_page_queries.py",
        "  and tests/plans/test_plan_queries.py (and /reviews/ at 1 and 10 plans); the satellites' own",
        "  pages in tests/risks and tests/stakeholders.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    main()
