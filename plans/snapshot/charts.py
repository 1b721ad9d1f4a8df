"""Charts drawn on the server as SVG from plain data: one picture for the page and the PDF.

Every label comes from user text, so every piece of text goes through escape(); the SVG is
inline in the document and has a <title> and <desc> for assistive technology.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from oakview.core.formats import day_month

from .care_hours import DayCover

WIDTH = 680
LABEL_W = 190
PLOT_W = WIDTH - LABEL_W - 20
# Past this many lanes the chart stops being readable; the table beside it has every row.
MAX_LANES = 14


def _short(text: str, n: int = 34) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


# WeasyPrint draws inline SVG with the SVG's own <style> only, so each chart carries its rules.
SVG_STYLE = (
    "<style>text{font-family:Carlito;font-size:9px;fill:#222}.lane{font-size:9.5px}.end{text-anchor:end}"
    ".mid{text-anchor:middle}.grid{stroke:#dde4df;stroke-width:.6}.axisline{stroke:#555;stroke-width:.8}"
    ".period{fill:#b7cfc0}.golive{stroke:#a3242f;stroke-width:1.2;stroke-dasharray:3 2}"
    ".milestone{fill:#fff;stroke:#1f3d2b;stroke-width:1.2}.milestone.done{fill:#1f3d2b}"
    ".tick{stroke:#2f6b46;stroke-width:1.2}.bar{fill:#5d9474}.bar.short{fill:#c0392b}"
    ".required{stroke:#a3242f;stroke-width:1.2;stroke-dasharray:4 2}</style>"
)


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every user string below is escaped
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>{SVG_STYLE}'
        + "".join(body)
        + "</svg>"
    )


def timeline_chart(
    *,
    start: dt.date | None,
    go_live: dt.date | None,
    end: dt.date | None,
    milestones: list[dict[str, Any]],
    actions: list[dict[str, Any]],
) -> SafeString | None:
    """Plan period with go-live, one lane per milestone, and action due dates as ticks."""
    # Over 60 lines only as the formatter lays out the SVG's parts, drawn top to bottom
    # with one set of coordinates; split, the coordinates would be threaded through helpers.
    dates = [d for d in (start, go_live, end) if d]
    dates += [m["due_date_d"] for m in milestones if m.get("due_date_d")]
    dates += [a["due_date_d"] for a in actions if a.get("due_date_d")]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    first -= dt.timedelta(days=3)
    last += dt.timedelta(days=3)
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return LABEL_W + PLOT_W * (day - first).days / span

    shown = milestones[:MAX_LANES]
    lane_h = 22
    top = 30
    height = top + lane_h * (len(shown) + 2) + 20
    body: list[str] = []
    # Month grid.
    cursor = dt.date(first.year, first.month, 1)
    while cursor <= last:
        if cursor >= first:
            gx = x(cursor)
            body.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{height - 20}" class="grid"/>')
            body.append(f'<text x="{gx + 2:.1f}" y="{top - 12}" class="axis">{cursor:%b %Y}</text>')
        cursor = dt.date(cursor.year + (cursor.month // 12), cursor.month % 12 + 1, 1)
    # Lane 0: the plan period.
    y = top
    body.append(f'<text x="4" y="{y + 14}" class="lane">Plan period</text>')
    if start and end:
        body.append(f'<rect x="{x(start):.1f}" y="{y + 4}" width="{max(x(end) - x(start), 2):.1f}" height="12" class="period"/>')
    if go_live:
        gx = x(go_live)
        body.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 20}" class="golive"/>')
        body.append(f'<text x="{gx + 3:.1f}" y="{height - 6}" class="axis">Go-live {go_live.day} {go_live:%b}</text>')
    # Milestones.
    for i, m in enumerate(shown, start=1):
        y = top + lane_h * i
        body.append(f'<text x="4" y="{y + 14}" class="lane">{escape(_short(m["title"]))}</text>')
        if m.get("due_date_d"):
            mx = x(m["due_date_d"])
            cls = "milestone done" if m.get("done") else "milestone"
            body.append(f'<path d="M{mx:.1f} {y + 3} l7 7 l-7 7 l-7 -7 z" class="{cls}"/>')
    # Actions lane.
    y = top + lane_h * (len(shown) + 1)
    body.append(f'<text x="4" y="{y + 14}" class="lane">Actions due ({len(actions)})</text>')
    for a in actions:
        if a.get("due_date_d"):
            ax = x(a["due_date_d"])
            body.append(f'<line x1="{ax:.1f}" y1="{y + 3}" x2="{ax:.1f}" y2="{y + 17}" class="tick"/>')
    desc = (
        f"Plan from {start or 'unset'} to {end or 'unset'}, go-live {go_live or 'unset'}; "
        f"{len(milestones)} milestones and {len(actions)} actions with due dates."
    )
    if len(milestones) > MAX_LANES:
        desc += f" The first {MAX_LANES} milestones are drawn; the table lists all."
    return _svg(WIDTH, height, "Timeline of milestones and actions", desc, body, "timeline")


# --- Care-hours cover --------------------------------------------------------------------
# Presentation attributes only, no <style>: the site's CSP forbids inline styles on the page,
# and WeasyPrint draws attributes just the same.

COVER_WIDTH, COVER_HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 48
OK_FILL, SHORT_FILL, LINE = "#2f6b3a", "#b02a37", "#1f1f1f"
# The PDF's embedded font first; on the page the site's own fonts follow.
FONTS = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"


def _h(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _n(value: float) -> str:
    return f"{value:.1f}"


def cover_chart_svg(days: list[DayCover], *, chart_id: str = "cover-chart") -> SafeString:
    """Bars: care hours available on each training day; line: the required hours.
    Short days are red and marked with "!" so colour is not the only signal."""
    # Long only as the formatter lays out format_html's arguments; the bars and the words
    # are their own functions below.
    if not days:
        return mark_safe("")
    top_value = max(max(d.available for d in days), max(d.required for d in days), Decimal(1))
    top_value = (top_value * Decimal("1.1")).quantize(Decimal(1))
    plot_w, plot_h = COVER_WIDTH - LEFT - RIGHT, COVER_HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + plot_h - float(value) / float(top_value) * plot_h

    step = plot_w / len(days)
    bar_w = max(min(step * 0.6, 48), 3)
    desc = _cover_description(days)
    parts = [
        format_html(
            '<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="{}-title {}-desc" '
            'font-family="{}" xmlns="http://www.w3.org/2000/svg">',
            COVER_WIDTH,
            COVER_HEIGHT,
            COVER_WIDTH,
            COVER_HEIGHT,
            chart_id,
            chart_id,
            FONTS,
        ),
        format_html('<title id="{}-title">Care hours available on training days against the requirement</title>', chart_id),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, desc),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d" stroke-width="1"/>',
            LEFT,
            TOP + plot_h,
            COVER_WIDTH - RIGHT,
            TOP + plot_h,
        ),
    ]
    for tick in (Decimal(0), top_value / 2, top_value):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">{}</text>',
                LEFT - 6,
                _n(y(tick) + 4),
                int(tick),
            )
        )
    parts.extend(_cover_bars(days, y, step, bar_w))
    req_y = y(days[0].required)
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>',
            LEFT,
            _n(req_y),
            COVER_WIDTH - RIGHT,
            _n(req_y),
            LINE,
        )
    )
    # The key sits above the plot so it never covers a bar.
    parts.append(
        format_html(
            '<line x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>'
            '<text x="{}" y="16" font-size="11" text-anchor="end" fill="{}">required: {} h a day</text>',
            COVER_WIDTH - RIGHT - 150,
            COVER_WIDTH - RIGHT - 124,
            LINE,
            COVER_WIDTH - RIGHT,
            LINE,
            _h(days[0].required),
        )
    )
    parts.append(format_html('<text x="{}" y="{}" font-size="11" fill="#333">Care hours per day</text>', 4, COVER_HEIGHT - 8))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # every value above went through format_html


def _cover_description(days: list[DayCover]) -> str:
    """The chart in words, for screen readers: short days by date and by how much."""
    short = [d for d in days if d.is_short]
    return (
        f"{len(days)} training day{'s' if len(days) != 1 else ''}; "
        + (
            f"{len(short)} below the required {_h(days[0].required)} hours: "
            + ", ".join(f"{day_month(d.day)} short by {_h(d.shortfall)} h" for d in short)
            if short
            else f"all at or above the required {_h(days[0].required)} hours"
        )
        + "."
    )


def _cover_bars(days: list[DayCover], y: Callable[[Decimal], float], step: float, bar_w: float) -> list[SafeString]:
    """One bar a day, red and marked "!" when short, with a date label every so often."""
    parts: list[SafeString] = []
    label_every = max(1, len(days) // 12)
    for i, d in enumerate(days):
        x = LEFT + i * step + (step - bar_w) / 2
        fill = SHORT_FILL if d.is_short else OK_FILL
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} h available, {} required{}</title></rect>',
                _n(x),
                _n(y(d.available)),
                _n(bar_w),
                _n(max(y(Decimal(0)) - y(d.available), 0)),
                fill,
                day_month(d.day),
                _h(d.available),
                _h(d.required),
                f", short by {_h(d.shortfall)} h" if d.is_short else "",
            )
        )
        if d.is_short:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="13" font-weight="bold" text-anchor="middle" fill="{}">!</text>',
                    _n(x + bar_w / 2),
                    _n(y(d.available) - 4),
                    SHORT_FILL,
                )
            )
        if i % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#333">{}</text>',
                    _n(x + bar_w / 2),
                    COVER_HEIGHT - BOTTOM + 16,
                    day_month(d.day),
                )
            )
    return parts
