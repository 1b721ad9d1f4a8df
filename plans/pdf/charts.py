"""SVG charts for the PDF, built on the server from snapshot data.

Every label comes from user text, so every piece of text goes through escape(); the SVG is
inline in the document and has a <title> and <desc> for assistive technology.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def timeline_chart(*, start: dt.date | None, go_live: dt.date | None, end: dt.date | None,
                   milestones: list[dict], actions: list[dict]) -> SafeString | None:
    """Plan period with go-live, one lane per milestone, and action due dates as ticks."""
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


def cover_chart(days: list) -> SafeString | None:
    """Available care hours on each training day against the required level."""
    days = days[:31]
    if not days:
        return None
    height = 220
    top, bottom = 20, 40
    plot_h = height - top - bottom
    left = 50
    plot_w = WIDTH - left - 10
    peak = max(max(d.available, d.required, d.rostered) for d in days) or Decimal(1)
    scale = float(plot_h) / float(peak * Decimal("1.1"))
    bar_w = min(40.0, plot_w / len(days) * 0.7)
    step = plot_w / len(days)
    body: list[str] = []
    base = top + plot_h
    body.append(f'<line x1="{left}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" class="axisline"/>')
    for tick in range(0, int(float(peak) * 1.1) + 1, max(10, int(float(peak) / 5) // 10 * 10 or 10)):
        ty = base - tick * scale
        body.append(f'<text x="{left - 6}" y="{ty + 3:.1f}" class="axis end">{tick}</text>')
        body.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{WIDTH - 10}" y2="{ty:.1f}" class="grid"/>')
    for i, d in enumerate(days):
        bx = left + step * i + (step - bar_w) / 2
        bh = float(d.available) * scale
        cls = "bar short" if d.is_short else "bar"
        body.append(f'<rect x="{bx:.1f}" y="{base - bh:.1f}" width="{bar_w:.1f}" height="{bh:.1f}" class="{cls}"/>')
        body.append(f'<text x="{bx + bar_w / 2:.1f}" y="{base + 14}" class="axis mid">{d.day.day} {d.day:%b}</text>')
    ry = base - float(days[0].required) * scale
    body.append(f'<line x1="{left}" y1="{ry:.1f}" x2="{WIDTH - 10}" y2="{ry:.1f}" class="required"/>')
    short = [d for d in days if d.is_short]
    desc = (
        f"{len(days)} training days. Required care hours {days[0].required} a day. "
        + (f"{len(short)} day(s) fall short: " + ", ".join(f"{d.day:%d %b}" for d in short) + "."
           if short else "Every training day stays at or above the required hours.")
    )
    body.append(f'<text x="{left}" y="{height - 8}" class="axis">Bars: available care hours on each training day. Dashed line: required, {days[0].required} h a day.</text>')
    return _svg(WIDTH, height, "Care-hours cover on training days", desc, body, "cover")
