"""Charts drawn on the server as SVG from plain data: one picture for the page and the PDF.

Every label comes from user text, so every piece of text goes through escape(); the SVG is
inline in the document and has a <title> and <desc> for assistive technology.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from oakview.core.formats import day_month

from .care_hours import DayCover

WIDTH = 640  # px: 480 pt in print, inside the A4 text width, so the chart is never scaled down
LABEL_W = 232
PLOT_W = WIDTH - LABEL_W - 16
LABEL_CHARS = 36  # a lane's label wraps at this many characters, never cut
LINE_H = 14
# Past this many lanes the chart stops being readable; the table beside it has every row.
MAX_LANES = 14


def _wrap(text: str, n: int = LABEL_CHARS) -> list[str]:
    """The whole label, in lines of at most n characters (a longer word is broken)."""
    return textwrap.wrap(" ".join(str(text).split()), n, break_long_words=True) or [""]


def _label(x: float, y: float, lines: list[str], cls: str = "lane") -> str:
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE_H}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}">{spans}</text>'


# WeasyPrint draws inline SVG with the SVG's own <style> only, so each chart carries its rules.
# 12 px is 9 pt in print: nothing in a chart is smaller than 8 pt.
SVG_STYLE = (
    "<style>text{font-family:Carlito;font-size:12px;fill:#222}.lane{font-size:12px}.end{text-anchor:end}"
    ".mid{text-anchor:middle}.count{font-size:11px;font-weight:bold;text-anchor:middle}"
    ".grid{stroke:#dde4df;stroke-width:.6}.axisline{stroke:#555;stroke-width:.8}"
    ".period{fill:#b7cfc0}.golive{stroke:#a3242f;stroke-width:1.2;stroke-dasharray:3 2}.golive-label{fill:#a3242f;font-weight:bold}"
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
    """Plan period with go-live, one lane per milestone named in full with its date, and the
    actions due each week, counted. Every mark on it has words or a number beside it."""
    # Over 60 lines only as the formatter lays out the SVG's parts, drawn top to bottom
    # with one set of coordinates; split, the coordinates would be threaded through helpers.
    dates = [d for d in (start, go_live, end) if d]
    dates += [m["due_date_d"] for m in milestones if m.get("due_date_d")]
    dates += [a["due_date_d"] for a in actions if a.get("due_date_d")]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    first -= dt.timedelta(days=3)
    last += dt.timedelta(days=10)  # room for the last date's label
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return LABEL_W + PLOT_W * (day - first).days / span

    shown = milestones[:MAX_LANES]
    labels = [_wrap(m["title"]) for m in shown]
    heights = [max(26, LINE_H * len(lines) + 10) for lines in labels]
    top = 34
    lanes_h = 26 + sum(heights) + 40
    height = top + lanes_h + 22
    body: list[str] = []
    # Month grid.
    cursor = dt.date(first.year, first.month, 1)
    while cursor <= last:
        if cursor >= first:
            gx = x(cursor)
            body.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{height - 22}" class="grid"/>')
            body.append(f'<text x="{gx + 2:.1f}" y="{top - 14}" class="axis">{cursor:%b %Y}</text>')
        cursor = dt.date(cursor.year + (cursor.month // 12), cursor.month % 12 + 1, 1)
    # Lane 0: the plan period.
    y = top
    body.append(_label(4, y + 16, ["Plan period"]))
    if start and end:
        body.append(f'<rect x="{x(start):.1f}" y="{y + 6}" width="{max(x(end) - x(start), 2):.1f}" height="12" class="period"/>')
    if go_live:
        gx = x(go_live)
        body.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 22}" class="golive"/>')
        body.append(f'<text x="{gx + 3:.1f}" y="{height - 6}" class="golive-label">Go-live {day_month(go_live)}</text>')
    # Milestones: the whole name at the left, the diamond and its date on the line.
    y = top + 26
    for m, lines, lane_h in zip(shown, labels, heights, strict=True):
        body.append(_label(4, y + 16, lines))
        if m.get("due_date_d"):
            mx = x(m["due_date_d"])
            cls = "milestone done" if m.get("done") else "milestone"
            body.append(f'<path d="M{mx:.1f} {y + 5} l7 7 l-7 7 l-7 -7 z" class="{cls}"/>')
            anchor, lx = ("end", mx - 10) if mx > WIDTH - 60 else ("start", mx + 10)
            body.append(
                f'<text x="{lx:.1f}" y="{y + 16}" class="{"end" if anchor == "end" else "axis"}">{day_month(m["due_date_d"])}</text>'
            )
        y += lane_h
    # Actions: how many fall due each week, the count over each week's mark.
    weeks: dict[dt.date, int] = {}
    for a in actions:
        if a.get("due_date_d"):
            monday = a["due_date_d"] - dt.timedelta(days=a["due_date_d"].weekday())
            weeks[monday] = weeks.get(monday, 0) + 1
    dated = sum(weeks.values())
    body.append(_label(4, y + 22, [f"Actions due, by week ({dated})"]))
    for monday, count in sorted(weeks.items()):
        ax = x(max(monday + dt.timedelta(days=3), first))
        body.append(f'<line x1="{ax:.1f}" y1="{y + 18}" x2="{ax:.1f}" y2="{y + 32}" class="tick"/>')
        body.append(f'<text x="{ax:.1f}" y="{y + 14}" class="count">{count}</text>')
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

COVER_WIDTH, COVER_HEIGHT = 640, 250
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 30, 32
OK_FILL, SHORT_FILL, LINE = "#2f6b3a", "#b02a37", "#1f1f1f"
# The PDF's embedded font first; on the page the site's own fonts follow.
FONTS = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"


def _h(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _n(value: float) -> str:
    return f"{value:.1f}"


def _nice_step(span: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about four ticks over span."""
    raw = max(span / 4, 0.5)
    power = float(10 ** math.floor(math.log10(raw)))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _signed(value: Decimal) -> str:
    return f"+{_h(value)}" if value > 0 else ("\u2212" + _h(-value) if value < 0 else "0")


def cover_chart_svg(days: list[DayCover], *, chart_id: str = "cover-chart") -> SafeString:
    """Headroom: how many care hours each training day has above (or below) the requirement,
    which is the zero line. A solid bar is the headroom with the booked backfill; an outline
    shows it without, so what the backfill buys is visible. Every bar carries its figure in
    hours, and a short day is red, below the line and marked "!", so neither colour nor a
    bar's length alone carries the warning. Text is 12 px (9 pt in print) or more."""
    if not days:
        return mark_safe("")
    headroom = [d.available - d.required for d in days]
    bare = [d.rostered - d.off_floor - d.required for d in days]
    low = float(min([Decimal(0), *headroom, *bare]))
    high = float(max([Decimal(0), *headroom, *bare]))
    step = _nice_step(high - low or 4)
    low = math.floor(low / step) * step - (step if low < 0 else 0)
    high = math.ceil(high / step) * step + step
    plot_w, plot_h = COVER_WIDTH - LEFT - RIGHT, COVER_HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    slot = plot_w / len(days)
    bar_w = max(min(slot * 0.55, 56), 4)
    required = _h(days[0].required)
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
        format_html(
            '<title id="{}-title">Care-hours headroom on training days: hours above the required {} h a day</title>',
            chart_id,
            required,
        ),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, _cover_description(days)),
    ]
    tick = low
    while tick <= high + 1e-9:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dde4df" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#333">{} h</text>',
                LEFT,
                _n(y(tick)),
                COVER_WIDTH - RIGHT,
                _n(y(tick)),
                LEFT - 6,
                _n(y(tick) + 4),
                _signed(Decimal(str(round(tick, 2)))),
            )
        )
        tick += step
    parts.extend(_cover_bars(days, headroom, bare, y, slot, bar_w))
    zero = y(0)
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>',
            LEFT,
            _n(zero),
            COVER_WIDTH - RIGHT,
            _n(zero),
            LINE,
        )
    )
    # The key sits above the plot so it never covers a bar.
    parts.append(
        format_html(
            '<text x="{}" y="16" font-size="12" fill="{}">Hours above the requirement (0 h = required: {} h a day)</text>'
            '<rect x="{}" y="6" width="12" height="12" fill="{}"/><text x="{}" y="16" font-size="12" fill="#333">with backfill</text>'
            '<rect x="{}" y="6.5" width="11" height="11" fill="none" stroke="#333" stroke-width="1" stroke-dasharray="3 2"/>'
            '<text x="{}" y="16" font-size="12" fill="#333">without backfill</text>',
            LEFT,
            LINE,
            required,
            COVER_WIDTH - RIGHT - 205,
            OK_FILL,
            COVER_WIDTH - RIGHT - 189,
            COVER_WIDTH - RIGHT - 101,
            COVER_WIDTH - RIGHT - 85,
        )
    )
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


def _cover_bars(
    days: list[DayCover],
    headroom: list[Decimal],
    bare: list[Decimal],
    y: Callable[[float], float],
    slot: float,
    bar_w: float,
) -> list[SafeString]:
    """One bar a day from the zero line, its figure beside its end, a date under the plot."""
    parts: list[SafeString] = []
    label_every = max(1, math.ceil(len(days) / 10))  # a date label is about 40 px wide
    zero = y(0)
    for i, d in enumerate(days):
        x = LEFT + i * slot + (slot - bar_w) / 2
        value, without = float(headroom[i]), float(bare[i])
        fill = SHORT_FILL if d.is_short else OK_FILL
        top, bottom = sorted((y(value), zero))
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} h available, {} required{}</title></rect>',
                _n(x),
                _n(top),
                _n(bar_w),
                _n(max(bottom - top, 1)),
                fill,
                day_month(d.day),
                _h(d.available),
                _h(d.required),
                f", short by {_h(d.shortfall)} h" if d.is_short else "",
            )
        )
        if without != value:
            otop, obottom = sorted((y(without), zero))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333" stroke-width="1" stroke-dasharray="3 2"/>',
                    _n(x - 3),
                    _n(otop),
                    _n(bar_w + 6),
                    _n(max(obottom - otop, 1)),
                )
            )
        label_y = y(max(value, without)) - 5 if value >= 0 else y(min(value, without)) + 14
        mark = "! " if d.is_short else ""
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" font-weight="bold" text-anchor="middle" fill="{}">{}{} h</text>',
                _n(x + bar_w / 2),
                _n(label_y),
                SHORT_FILL if d.is_short else LINE,
                mark,
                _signed(headroom[i]),
            )
        )
        if i % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#333">{}</text>',
                    _n(x + bar_w / 2),
                    COVER_HEIGHT - BOTTOM + 18,
                    day_month(d.day),
                )
            )
    return parts
