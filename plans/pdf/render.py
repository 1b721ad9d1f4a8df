"""render(revision) -> bytes: the PDF of one revision, from its snapshot alone.

The body follows the assessor's five questions; the records that would swamp the answers
go to appendices contributed by each plan part (plans.parts). The author cites an appendix
in a narrative as [[appendix:<key>]], printed as "Appendix B: Risk register and contingency
plans (page 14)". Appendices are lettered in the order the body first refers to them:
walking the five answers in order, each answer's own citations first, then a "Supporting
records" note for any appendix of that question the prose never cites, then a closing note
for the rest. So every appendix is cited, and A comes before B in the reading.
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
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from oakview.core.formats import long_date, parse_date
from oakview.core.models import Membership
from plans.parts import Appendix, collect_appendices, registered_parts, rows_of
from plans.parts.plan_appendices import references_list
from plans.snapshot.sections import SECTIONS, WORD_GUIDE
from plans.snapshot.text import appendix_refs, render_markdown, replace_appendix_refs, word_count

from . import static_url
from .tagging import add_table_header_scopes

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
    landscape: bool = False


def _letters():
    # A..Z, then AA, AB...: a plan will not have 27 appendices, but it must not crash if it does.
    yield from string.ascii_uppercase
    for first in string.ascii_uppercase:
        for second in string.ascii_uppercase:
            yield first + second


def _home_section(appendix: Appendix) -> int:
    return appendix.section if 1 <= appendix.section <= 5 else 0


def order_appendices(appendices: list[Appendix], narratives: dict[str, str] | None = None) -> list[Appendix]:
    """The order the body first refers to them. For each question in turn: the appendices
    its narrative cites, in the order it cites them; then the question's own appendices that
    no narrative cites (its "Supporting records" note). Last, the uncited rest (the closing
    note), each part's in the part's order."""
    narratives = narratives or {}
    by_key = {a.key: a for a in appendices}
    cited = {key for text in narratives.values() for key in appendix_refs(text) if key in by_key}
    ordered: dict[str, Appendix] = {}
    for section in SECTIONS:
        for key in appendix_refs(narratives.get(section.key, "")):
            if key in by_key:
                ordered.setdefault(key, by_key[key])
        for appendix in appendices:
            if _home_section(appendix) == section.number and appendix.key not in cited:
                ordered.setdefault(appendix.key, appendix)
    for appendix in appendices:
        ordered.setdefault(appendix.key, appendix)
    return list(ordered.values())


def label_appendices(appendices: list[Appendix], narratives: dict[str, str] | None = None) -> list[LabelledAppendix]:
    lettered = list(zip(order_appendices(appendices, narratives), _letters(), strict=False))
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
                section=_home_section(appendix),
                html=render_to_string(appendix.template, context),
                landscape=appendix.landscape,
            )
        )
    return labelled


def revision_meta(revision) -> dict:
    """What the cover and approval record need beyond the snapshot: the decisions on it, and
    the plan's history up to it (earlier revisions, changes asked for), each person with the
    role they hold in the home."""
    plan = revision.plan
    earlier = list(
        plan.revisions.filter(number__lte=revision.number)
        .select_related("submitted_by")
        .prefetch_related("decisions__approver")
        .order_by("number")
    )
    people = {r.submitted_by_id for r in earlier} | {d.approver_id for r in earlier for d in r.decisions.all()}
    roles = {
        m.user_id: m.job_title or m.get_role_display()
        for m in Membership.objects.filter(home_id=plan.home_id, user_id__in=people)
    }
    history: list[dict] = []
    decisions: list[dict] = []
    for rev in earlier:
        history.append(
            {
                "at": timezone.localtime(rev.submitted_at),
                "what": f"Revision {rev.number} submitted",
                "by": rev.submitted_by.display_name,
                "role": roles.get(rev.submitted_by_id, ""),
                "comment": "",
            }
        )
        for d in sorted(rev.decisions.all(), key=lambda d: (d.decided_at, d.id)):
            entry = {
                "outcome": d.get_outcome_display(),
                "approved": d.outcome == d.Outcome.APPROVED,
                "approver": d.approver.display_name,
                "role": roles.get(d.approver_id, ""),
                "decided_at": timezone.localtime(d.decided_at),
                "comment": d.comment,
            }
            history.append(
                {
                    "at": entry["decided_at"],
                    "what": f"Revision {rev.number}: {entry['outcome'].lower()}",
                    "by": entry["approver"],
                    "role": entry["role"],
                    "comment": d.comment,
                }
            )
            if rev.pk == revision.pk:
                decisions.append(entry)
    approval = next((d for d in decisions if d["approved"]), None)
    return {
        "number": revision.number,
        "status": revision.get_status_display(),
        "submitted_by": revision.submitted_by.display_name,
        "submitted_at": timezone.localtime(revision.submitted_at),
        "decisions": decisions,
        "history": history,
        "approval": approval,
        "approver": approval["approver"] if approval else "",
        "approver_role": approval["role"] if approval else "",
        "approved_at": approval["decided_at"] if approval else None,
    }


SUBMISSION_LABELS = (
    ("candidate", "Candidate"),
    ("qualification", "Qualification and unit"),
    ("centre", "Centre"),
    ("assessor", "Assessor"),
    ("date", "Submission date"),
)


def submission_rows(plan: dict) -> list[tuple[str, str]]:
    """The cover's submission details the manager filled in, in print order; none if blank."""
    details = plan.get("submission") or {}
    rows = []
    for key, label in SUBMISSION_LABELS:
        value = details.get(key) or ""
        if key == "date" and value:
            day = parse_date(value)
            value = long_date(day) if day else ""
        if value:
            rows.append((label, str(value)))
    return rows


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def demote_headings(html: str) -> SafeString:
    """A narrative's own headings sit under its question's <h2>, with no level skipped
    (PDF/UA-1 7.4.2: screen readers walk the heading tree): the highest level the author
    used becomes <h3>, the next <h4>..., and a heading never goes more than one level below
    the one before it, whatever the author typed ("####" straight after the question)."""
    levels = sorted({int(m[2]) for m in _HEADING.finditer(html) if not m[1]})
    rank = {level: 3 + i for i, level in enumerate(levels)}
    previous = 2
    open_levels: list[int] = []

    def shift(match: re.Match[str]) -> str:
        nonlocal previous
        if match[1]:  # a closing tag closes the heading opened last
            return f"</h{open_levels.pop() if open_levels else 3}"
        level = min(rank[int(match[2])], previous + 1, 6)
        previous = level
        open_levels.append(level)
        return f"<h{level}"

    return mark_safe(_HEADING.sub(shift, html))  # noqa: S308 - already sanitised


def _xref_html(appendix: LabelledAppendix | None, key: str) -> str:
    if appendix is None:
        # Readiness warns about this before submission; in print it must not look like a citation.
        return f'<span class="xref-missing">(no appendix "{escape(key)}" in this revision)</span>'
    return f'<a class="xref" href="#{appendix.anchor}">{escape(appendix.label)}: {escape(appendix.title)}</a>'


def narrative_html(text: str, appendix_by_key: dict[str, LabelledAppendix]) -> SafeString:
    """A narrative as printed: sanitised Markdown, headings in order, citations resolved."""
    html = demote_headings(render_markdown(text))
    return mark_safe(replace_appendix_refs(html, lambda key: _xref_html(appendix_by_key.get(key), key)))  # noqa: S308 - escaped above


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
    appendices = label_appendices(collect_appendices(snapshot), narratives)
    appendix_by_key = {a.key: a for a in appendices}
    cited = {key for text in narratives.values() for key in appendix_refs(text)}
    sections = []
    total_words = 0
    for section in SECTIONS:
        text = narratives.get(section.key, "")
        # The count printed is the plan page's and readiness' (plans.snapshot.text): the
        # answers under the five headers are the narratives alone (records are tables, which
        # word counts leave out), so the number printed is the number an assessor makes.
        words = word_count(text)
        total_words += words
        sections.append(
            {
                "number": section.number,
                "key": section.key,
                "title": section.title,
                "heading": section.heading,
                "anchor": section.anchor,
                "narrative": narrative_html(text, appendix_by_key),
                "words": words,
                # Appendices of this question the prose never cites: listed after it, so
                # every appendix is referred to from the body.
                "appendices": [a for a in appendices if a.section == section.number and a.key not in cited],
            }
        )
    low, high = WORD_GUIDE
    return {
        "plan": plan,
        "home": plan.get("home") or {},
        "meta": meta,
        "submission": {"rows": submission_rows(plan)},
        "references": references_list(snapshot),
        "sections": sections,
        "appendices": appendices,
        "closing_appendices": [a for a in appendices if a.section == 0 and a.key not in cited],
        "appendix_by_key": appendix_by_key,
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


class DocumentTooLarge(Exception):
    """The revision is beyond the size an export makes (settings.PDF_MAX_ROWS, PDF_MAX_PAGES).
    Its message is for the person who asked for the export."""


def snapshot_rows(snapshot: dict) -> int:
    """How many table rows the document will hold: every part's row kinds in the snapshot."""
    return sum(len(rows_of(part, kind, snapshot)) for part in registered_parts() for kind in part.row_kinds)


def check_size(snapshot: dict) -> None:
    rows, limit = snapshot_rows(snapshot), settings.PDF_MAX_ROWS
    if limit and rows > limit:
        raise DocumentTooLarge(
            f"This revision has {rows:,} rows in its tables, more than the {limit:,} a PDF export can hold. "
            "Download the tables as CSV from the plan page instead, or ask your administrator about PDF_MAX_ROWS."
        )


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
        pages, limit = len(document.pages), settings.PDF_MAX_PAGES
        if limit and pages > limit:
            raise DocumentTooLarge(
                f"This revision runs to {pages:,} pages, more than the {limit:,} a PDF export can hold. "
                "Download the tables as CSV from the plan page instead, or ask your administrator about PDF_MAX_PAGES."
            )
        data = add_table_header_scopes(document.write_pdf(**options))
        return RenderedPdf(data=data, pages=len(document.pages))
    finally:
        if collecting:
            gc.enable()


def render_snapshot(snapshot: dict, meta: dict, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return html_to_pdf(build_html(snapshot, meta), fetcher=fetcher).data


def render_revision(revision, *, fetcher: StaticOnlyFetcher | None = None) -> RenderedPdf:
    """The PDF and its page count (counted by the layout, not by re-reading the file).
    Raises DocumentTooLarge for a revision beyond the export's documented size."""
    check_size(revision.snapshot)
    return html_to_pdf(build_html(revision.snapshot, revision_meta(revision)), fetcher=fetcher)


def render(revision) -> bytes:
    return render_revision(revision).data
