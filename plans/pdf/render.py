"""render(revision) -> bytes: the PDF of one revision, from its snapshot alone.

The body follows the assessor's five questions; the records that would swamp the answers
go to appendices contributed by each plan part (plans.parts). Appendices are lettered in
the order the body first refers to them: each section ends with "see Appendix X" for the
appendices that belong to it, so walking the sections in order gives the letters.
"""

from __future__ import annotations

import gc
import re
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from oakview.core.formats import parse_date
from plans.parts import Appendix, collect_appendices
from plans.snapshot.sections import SECTIONS, WORD_GUIDE
from plans.snapshot.text import render_markdown, word_count

from . import static_url

if TYPE_CHECKING:
    from .fetcher import StaticOnlyFetcher  # it imports WeasyPrint too

# WeasyPrint's PDF/UA-1 variant: tagged structure, PDF 1.7, title and language in metadata.
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class LabelledAppendix:
    key: str
    letter: str
    label: str  # "Appendix B"
    title: str
    anchor: str
    section: int
    html: str


def _letters():
    # A..Z, then AA, AB...: a plan will not have 27 appendices, but it must not crash if it does.
    yield from string.ascii_uppercase
    for first in string.ascii_uppercase:
        for second in string.ascii_uppercase:
            yield first + second


def order_appendices(appendices: list[Appendix]) -> list[Appendix]:
    """The order the body refers to them: by section (1-5), then appendices no section
    claims (referred to in the closing "Supporting material" note), keeping each part's order."""
    indexed = list(enumerate(appendices))
    indexed.sort(key=lambda pair: (pair[1].section if 1 <= pair[1].section <= 5 else 99, pair[0]))
    return [a for _, a in indexed]


def label_appendices(appendices: list[Appendix]) -> list[LabelledAppendix]:
    lettered = list(zip(order_appendices(appendices), _letters(), strict=False))
    # Every appendix may refer to the others by key (the outcomes matrix names the appendix
    # that carries each criterion's records): {key: {"label": "Appendix B", "anchor": ...}}.
    labels = {a.key: {"label": f"Appendix {letter}", "anchor": f"appendix-{letter.lower()}"} for a, letter in lettered}
    labelled = []
    for appendix, letter in lettered:
        label = f"Appendix {letter}"
        context = {**appendix.context, "label": label, "title": appendix.title, "letter": letter, "appendix_labels": labels}
        labelled.append(
            LabelledAppendix(
                key=appendix.key,
                letter=letter,
                label=label,
                title=appendix.title,
                anchor=f"appendix-{letter.lower()}",
                section=appendix.section if 1 <= appendix.section <= 5 else 0,
                html=render_to_string(appendix.template, context),
            )
        )
    return labelled


def revision_meta(revision) -> dict:
    """What the cover and approval record need beyond the snapshot: the decisions on it."""
    decisions = [
        {
            "outcome": d.get_outcome_display(),
            "approved": d.outcome == d.Outcome.APPROVED,
            "approver": d.approver.display_name,
            "decided_at": timezone.localtime(d.decided_at),
            "comment": d.comment,
        }
        for d in revision.decisions.select_related("approver").order_by("decided_at", "id")
    ]
    approval = next((d for d in decisions if d["approved"]), None)
    return {
        "number": revision.number,
        "status": revision.get_status_display(),
        "submitted_by": revision.submitted_by.display_name,
        "submitted_at": timezone.localtime(revision.submitted_at),
        "decisions": decisions,
        "approver": approval["approver"] if approval else "",
        "approved_at": approval["decided_at"] if approval else None,
    }


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def demote_headings(html: str) -> SafeString:
    """A narrative's own "# Heading" sits under its question's <h2>: shift it two levels so
    the tagged PDF's heading tree stays in order for screen readers."""
    return mark_safe(_HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", html))  # noqa: S308 - already sanitised


def _word_status(words: int) -> str:
    low, high = WORD_GUIDE
    if words < low:
        return f"{low - words:,} words below the guide"
    if words > high:
        return f"{words - high:,} words above the guide"
    return "within the guide"


def _plan_body(plan: dict) -> dict:
    """Dates parsed and money summed for the templates (the snapshot keeps strings)."""
    for key in ("start_date", "go_live_date", "end_date"):
        plan[f"{key}_d"] = parse_date(plan.get(key))
    for objective in plan.get("objectives", []):
        objective["target_date_d"] = parse_date(objective.get("target_date"))
    for milestone in plan.get("milestones", []):
        milestone["due_date_d"] = parse_date(milestone.get("due_date"))
    return plan


def document_context(snapshot: dict, meta: dict) -> dict:
    plan = _plan_body(dict(snapshot.get("plan") or {}))
    narratives = plan.get("narratives") or {}
    appendices = label_appendices(collect_appendices(snapshot))
    sections = []
    total_words = 0
    for section in SECTIONS:
        text = narratives.get(section.key, "")
        words = word_count(text)
        total_words += words
        sections.append(
            {
                "number": section.number,
                "key": section.key,
                "title": section.title,
                "heading": f"{section.number} {section.title}",
                "anchor": section.anchor,
                "narrative": demote_headings(render_markdown(text)),
                "words": words,
                "appendices": [a for a in appendices if a.section == section.number],
            }
        )
    low, high = WORD_GUIDE
    return {
        "plan": plan,
        "home": plan.get("home") or {},
        "meta": meta,
        "sections": sections,
        "appendices": appendices,
        "closing_appendices": [a for a in appendices if a.section == 0],
        "appendix_by_key": {a.key: a for a in appendices},
        "words": {
            "total": total_words,
            "low": low,
            "high": high,
            "status": _word_status(total_words),
            "within": low <= total_words <= high,
        },
        "css_url": static_url("pdf/print.css"),
        "template_version": settings.PDF_TEMPLATE_VERSION,
        "generated_at": timezone.localtime(),
    }


def build_html(snapshot: dict, meta: dict) -> str:
    return render_to_string("pdf/plan.html", document_context(snapshot, meta))


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> RenderedPdf:
    # Imported here: `import weasyprint` costs half a second, which web start-up must not pay
    # (views import this module); only workers and commands render.
    from weasyprint import HTML  # noqa: PLC0415

    from .fetcher import StaticOnlyFetcher  # noqa: PLC0415 - it imports WeasyPrint too

    # No base_url: a relative URL in user text resolves to nothing rather than a file path.
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}
    # WeasyPrint allocates millions of short-lived objects, which keeps triggering Python's
    # cyclic collector over everything else the process holds (Django, the worker): pausing
    # it for the render saves about 15%. Memory is bounded by the render; cycles are
    # collected as usual once it is switched back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document = HTML(string=html, url_fetcher=fetcher or StaticOnlyFetcher()).render(**options)
        return RenderedPdf(data=document.write_pdf(**options), pages=len(document.pages))
    finally:
        if collecting:
            gc.enable()


def render_snapshot(snapshot: dict, meta: dict, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return html_to_pdf(build_html(snapshot, meta), fetcher=fetcher).data


def render_revision(revision, *, fetcher: StaticOnlyFetcher | None = None) -> RenderedPdf:
    """The PDF and its page count (counted by the layout, not by re-reading the file)."""
    return html_to_pdf(build_html(revision.snapshot, revision_meta(revision)), fetcher=fetcher)


def render(revision) -> bytes:
    return render_revision(revision).data
