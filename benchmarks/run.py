"""make bench: how long the demo plan's PDF takes, and what the pipeline adds to WeasyPrint.

Seeds the Oak View demo into a temporary SQLite database (your own database is untouched),
renders its latest approved revision several times and reports:

- pages and the median time of the full pipeline: plans.pdf.render.render(revision)
  (database reads, templates, appendices, charts, the restrictive fetcher, WeasyPrint);
- the median time of WeasyPrint alone on the same HTML, with its default fetcher reading
  the same CSS and fonts from disk;
- their ratio. Targets: under 2 s, and our own code's cost within 1.10x of WeasyPrint
  alone, judged like for like (both with the cyclic collector paused, as the pipeline runs).

It prints the figures; with --write (make bench WRITE=1) it also rewrites docs/performance.md
with the machine and the date. A plain run never touches a tracked file.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


from common import load, machine  # noqa: E402  (the machine and load lines every report shares)


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oakview.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["EMAIL_URL"] = "dummymail://"  # the demo workflow sends mail; not to the console here
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def demo_revision():
    from django.core.management import call_command

    from plans.models import Plan, PlanDecision, PlanRevision
    from plans.parts import build_snapshot

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.filter(home__name="Oak View").order_by("id").first()
    if plan is None:
        raise SystemExit("seed_demo made no Oak View plan.")
    revision = plan.revisions.filter(status="approved").order_by("-number").first()
    if revision is None:
        # The demo workflow step has not frozen one: freeze and approve the seeded plan here.
        from oakview.core.models import User

        number = (plan.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        revision = PlanRevision.objects.create(
            plan=plan, number=number, schema=1, snapshot=build_snapshot(plan), submitted_by=plan.author, status="approved"
        )
        PlanDecision.objects.create(revision=revision, approver=User.objects.get(username="approver"), outcome="approved")
    return plan, revision


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="oakview-bench-") as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from weasyprint import HTML
        from weasyprint import __version__ as weasyprint_version

        from plans.pdf import STATIC_SCHEME
        from plans.pdf.render import PDF_VARIANT, build_html, render, revision_meta
        from plans.snapshot.sections import SECTIONS
        from plans.snapshot.text import word_count

        plan, revision = demo_revision()
        words = sum(word_count(revision.snapshot["plan"]["narratives"].get(s.key, "")) for s in SECTIONS)

        # The same HTML the pipeline renders, pointing at the files on disk instead of the
        # app's static scheme, so WeasyPrint's own fetcher can read them.
        html = build_html(revision.snapshot, revision_meta(revision))
        static_root = (ROOT / "static").as_uri() + "/"
        css_copy = Path(tmp) / "print.css"
        css_copy.write_text((ROOT / "static" / "pdf" / "print.css").read_text().replace(STATIC_SCHEME, static_root))
        plain_html = html.replace(f"{STATIC_SCHEME}pdf/print.css", css_copy.as_uri()).replace(STATIC_SCHEME, static_root)
        options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}

        def pipeline() -> bytes:
            return render(revision)

        def weasyprint_alone() -> bytes:
            return HTML(string=plain_html).write_pdf(**options)

        def weasyprint_alone_gc_paused() -> bytes:
            # Like for like: the pipeline pauses the cyclic collector, so this shows what our
            # own code (queries, templates, charts, fetcher) costs on top of WeasyPrint.
            gc.disable()
            try:
                return HTML(string=plain_html).write_pdf(**options)
            finally:
                gc.enable()

        load_before = load()
        # Warm up both (fonts, imports, template loading), then alternate so drift hits both.
        data = pipeline()
        weasyprint_alone()
        weasyprint_alone_gc_paused()
        full, alone, alone_paused = [], [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            data = pipeline()
            full.append(time.perf_counter() - t)
            t = time.perf_counter()
            weasyprint_alone()
            alone.append(time.perf_counter() - t)
            t = time.perf_counter()
            weasyprint_alone_gc_paused()
            alone_paused.append(time.perf_counter() - t)

        from pypdf import PdfReader

        load_after = load()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        full_median, alone_median = statistics.median(full), statistics.median(alone)
        ratio = full_median / alone_median
        paused_median = statistics.median(alone_paused)
        overhead = full_median / paused_median
        today = dt.datetime.now(dt.UTC)
        verdict_time = "meets" if full_median < 2 else "misses"
        # The target is on what our code adds, so it is judged like for like: the raw ratio
        # flatters the pipeline, which pauses the collector that WeasyPrint alone keeps on.
        verdict_ratio = "meets" if overhead <= 1.10 else "misses"
        lines = [
            f"Demo plan: {plan.title} ({plan.home.name}), revision {revision.number}: {pages} pages, {words:,} words of answers, {len(data) / 1024:.0f} KiB",
            f"Full pipeline  (render(revision)): median {full_median:.3f} s over {RUNS} runs (min {min(full):.3f}, max {max(full):.3f})",
            f"WeasyPrint alone (same HTML):     median {alone_median:.3f} s over {RUNS} runs (min {min(alone):.3f}, max {max(alone):.3f})",
            f"WeasyPrint alone, GC paused:      median {paused_median:.3f} s over {RUNS} runs",
            f"Ratio full / WeasyPrint alone: {ratio:.3f}x; like for like (both GC paused): {overhead:.3f}x",
            f"Targets: < 2 s ({verdict_time}), like for like <= 1.10x ({verdict_ratio})",
        ]
        print("\n".join(lines))

    if "--write" not in sys.argv[1:]:
        print("Not written to docs/performance.md (make bench WRITE=1 does).")
        return

    doc = ROOT / "docs" / "performance.md"
    doc.write_text(
        f"""# Performance: the PDF export

Measured by `make bench` (`benchmarks/run.py`) on {today:%d %B %Y}, {today:%H:%M} UTC.

**Machine:** {machine()}; WeasyPrint {weasyprint_version}.
Load average (1 min) {load_before} before the runs and {load_after} after: on a shared
machine, other work inflates both columns alike; the ratio is the steadier figure.

The benchmark seeds the Oak View demo into a temporary SQLite database, renders its latest
approved revision once to warm up, then {RUNS} times, alternating with WeasyPrint alone on
the same HTML (its default fetcher reading the same CSS and fonts from disk). Both produce a
tagged PDF/UA-1 document with Carlito embedded.

| measure | value |
| --- | --- |
| document | {plan.title}, revision {revision.number}: **{pages} pages**, {words:,} words of answers, {len(data) / 1024:.0f} KiB |
| full pipeline, `render(revision)`: median | **{full_median:.3f} s** (min {min(full):.3f}, max {max(full):.3f}) |
| WeasyPrint alone on the same HTML: median | {alone_median:.3f} s (min {min(alone):.3f}, max {max(alone):.3f}) |
| WeasyPrint alone, collector paused as in the pipeline: median | {paused_median:.3f} s (min {min(alone_paused):.3f}, max {max(alone_paused):.3f}) |
| ratio, like for like (both with the collector paused): our own code's cost, **the one the target is judged by** | **{overhead:.3f}x** |
| ratio, full / WeasyPrint alone with its collector on (for reference only) | {ratio:.3f}x |
| target: under 2 s | {verdict_time} |
| target: our code within 1.10x of WeasyPrint alone, like for like | {verdict_ratio} |

The full pipeline includes the database reads (decisions, standards titles), the Django
templates, the appendices and their SVG charts, and the restrictive URL fetcher. It also
pauses Python's cyclic garbage collector while WeasyPrint runs (plans/pdf/render.py says
why); WeasyPrint alone is called exactly as its documentation shows, collector on, which is
why the pipeline can come out faster than WeasyPrint alone; the like-for-like row pauses it
for WeasyPrint too, and is the honest measure of what our code adds: the target is judged by
it, never by the raw ratio. Our own tables use fixed
column widths, which also speeds up WeasyPrint alone since it lays out the same HTML. Layout of
tables is WeasyPrint's main cost, so the time grows with the number of actions, sessions
and risks; the Celery task stops a render after 60 s (soft limit) whatever the plan holds.
"""
    )
    print(f"Wrote {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
