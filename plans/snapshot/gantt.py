"""The plan's timeline as a Gantt chart, drawn on the server as SVG from plain data: the
overview page and the PDF draw the same picture.

Lanes: the plan period; each milestone with the actions towards it (a bar from the first
to the last action's due date, the milestone's diamond filled once reached); training
sessions; actions with no milestone. Go-live and today are marked. Labels are never cut:
a long one wraps onto more lines and its lane grows. Presentation attributes only, no
<style>: the site's CSP refuses inline styles, and WeasyPrint draws attributes just the same.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .progress import REACHED, milestone_state

WIDTH = 760
LABEL_W = 250
PLOT_W = WIDTH - LABEL_W - 16
WRAP = 36  # characters a label line holds at 11px in LABEL_W
LINE_H = 13
FONT = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"
INK, MUTED, GRID = "#1f1f1f", "#495057", "#d5dcd7"
OAK, OAK_LIGHT, DONE_BAR, OPEN_BAR = "#1f3d2b", "#b7cfc0", "#2f6b3a", "#7a9f88"
GO_LIVE, TODAY, TRAINING = "#a3242f", "#0a58ca", "#8a5a00"


@dataclass
class Lane:
    label: str
    kind: str  # period | milestone | training | actions
    start: dt.date | None = None
    end: dt.date | None = None
    point: dt.date | None = None  # the milestone's due date
    reached: bool = False
    ticks: list[tuple[dt.date, bool]] = field(default_factory=list)  # (due, done)
    spans: list[tuple[dt.date, str]] = field(default_factory=list)  # training sessions (day, title)

    @property
    def lines(self) -> list[str]:
        return textwrap.wrap(self.label, WRAP) or [""]


def _lanes(
    start: dt.date | None,
    end: dt.date | None,
    milestones: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    training: list[dict[str, Any]],
) -> list[Lane]:
    lanes = [Lane("Plan period", "period", start=start, end=end)]
    by_milestone: dict[Any, list[dict[str, Any]]] = {}
    for a in actions:
        by_milestone.setdefault(a.get("milestone_key"), []).append(a)
    for m in milestones:
        mine = by_milestone.pop(m.get("key"), [])
        due = [a["due_date_d"] for a in mine if a.get("due_date_d")]
        state = milestone_state(bool(m.get("done")), [a.get("status_key", "") for a in mine])
        lanes.append(
            Lane(
                m.get("title", ""),
                "milestone",
                start=min(due) if due else None,
                end=max(due) if due else None,
                point=m.get("due_date_d"),
                reached=bool(m.get("done")) or state == REACHED,
                ticks=[(a["due_date_d"], a.get("status_key") == "done") for a in mine if a.get("due_date_d")],
            )
        )
    if training:
        lanes.append(Lane(f"Training sessions ({len(training)})", "training", spans=[(t["day"], t["title"]) for t in training]))
    rest = [a for group in by_milestone.values() for a in group]
    if rest:
        lanes.append(
            Lane(
                f"Other actions ({len(rest)})",
                "actions",
                ticks=[(a["due_date_d"], a.get("status_key") == "done") for a in rest if a.get("due_date_d")],
            )
        )
    return lanes


def gantt_svg(
    *,
    start: dt.date | None,
    go_live: dt.date | None,
    end: dt.date | None,
    milestones: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    training: list[dict[str, Any]] | None = None,
    today: dt.date | None = None,
    ident: str = "timeline",
) -> SafeString | None:
    """milestones: {"key", "title", "due_date_d", "done"}; actions: {"title", "due_date_d",
    "milestone_key", "status_key"}; training: {"day", "title"}. None when nothing is dated."""
    training = training or []
    dates = [d for d in (start, go_live, end) if d]
    dates += [m["due_date_d"] for m in milestones if m.get("due_date_d")]
    dates += [a["due_date_d"] for a in actions if a.get("due_date_d")]
    dates += [t["day"] for t in training]
    if not dates:
        return None
    first, last = min(dates) - dt.timedelta(days=3), max(dates) + dt.timedelta(days=3)
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return LABEL_W + PLOT_W * (day - first).days / span

    lanes = _lanes(start, end, milestones, actions, training)
    top = 34
    heights = [max(22, LINE_H * len(lane.lines) + 9) for lane in lanes]
    height = top + sum(heights) + 30
    bottom = height - 24
    out: list[str] = []
    text = f'font-family="{FONT}" font-size="11" fill="{INK}"'
    # Month grid and labels.
    cursor = dt.date(first.year, first.month, 1)
    while cursor <= last:
        if cursor >= first:
            gx = x(cursor)
            out.append(f'<line x1="{gx:.1f}" y1="{top - 10}" x2="{gx:.1f}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>')
            if gx < WIDTH - 56:  # a month starting at the right edge has no room for its name
                out.append(f'<text x="{gx + 3:.1f}" y="{top - 16}" {text} fill="{MUTED}">{cursor:%b %Y}</text>')
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    y = top
    for lane, lane_h in zip(lanes, heights, strict=True):
        mid = y + lane_h / 2
        out.append(f'<line x1="0" y1="{y + lane_h:.1f}" x2="{WIDTH}" y2="{y + lane_h:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        label_y = mid - (len(lane.lines) - 1) * LINE_H / 2 + 4
        tspans = "".join(
            f'<tspan x="4" y="{label_y + i * LINE_H:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lane.lines)
        )
        weight = ' font-weight="700"' if lane.kind == "period" else ""
        out.append(f"<text {text}{weight}>{tspans}</text>")
        if lane.kind == "period" and lane.start and lane.end:
            out.append(
                f'<rect x="{x(lane.start):.1f}" y="{mid - 6:.1f}" width="{max(x(lane.end) - x(lane.start), 2):.1f}" '
                f'height="12" rx="2" fill="{OAK_LIGHT}"/>'
            )
        if lane.start and lane.end and lane.kind == "milestone":
            fill = DONE_BAR if lane.reached else OPEN_BAR
            out.append(
                f'<rect x="{x(lane.start):.1f}" y="{mid - 4:.1f}" width="{max(x(lane.end) - x(lane.start), 3):.1f}" '
                f'height="8" rx="2" fill="{fill}" opacity="0.55"/>'
            )
        for due, done in lane.ticks:
            tx = x(due)
            colour = DONE_BAR if done else INK
            out.append(
                f'<line x1="{tx:.1f}" y1="{mid - 7:.1f}" x2="{tx:.1f}" y2="{mid + 7:.1f}" stroke="{colour}" stroke-width="1.5"/>'
            )
        for day, _title in lane.spans:
            sx = x(day)
            out.append(f'<rect x="{sx - 3:.1f}" y="{mid - 6:.1f}" width="6" height="12" fill="{TRAINING}"/>')
        if lane.point:
            mx = x(lane.point)
            fill = OAK if lane.reached else "#ffffff"
            out.append(f'<path d="M{mx:.1f} {mid - 8:.1f} l8 8 l-8 8 l-8 -8 z" fill="{fill}" stroke="{OAK}" stroke-width="1.5"/>')
        y += lane_h
    if go_live:
        gx = x(go_live)
        out.append(
            f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{bottom}" stroke="{GO_LIVE}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        out.append(f'<text x="{gx + 3:.1f}" y="{bottom + 14}" {text} fill="{GO_LIVE}">Go-live {go_live.day} {go_live:%b}</text>')
    if today and first <= today <= last:
        tx = x(today)
        out.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{bottom}" stroke="{TODAY}" stroke-width="2"/>')
        anchor = "end" if tx > WIDTH - 80 else "start"
        offset = -3 if anchor == "end" else 3
        out.append(
            f'<text x="{tx + offset:.1f}" y="{top - 4}" {text} fill="{TODAY}" text-anchor="{anchor}" font-weight="700">Today</text>'
        )
    reached = sum(1 for lane in lanes if lane.kind == "milestone" and lane.reached)
    desc = (
        f"Plan from {start or 'unset'} to {end or 'unset'}, go-live {go_live or 'unset'}"
        + (f", today {today}" if today else "")
        + f". {len(milestones)} milestones ({reached} reached), {len(actions)} actions, {len(training)} training sessions."
    )
    return mark_safe(  # noqa: S308 - every user string above is escaped
        f'<svg class="chart gantt" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">Timeline of milestones, actions and training</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(out)
        + "</svg>"
    )


def _iso_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def gantt_from_snapshot(plan: dict[str, Any], *, today: dt.date | None = None, ident: str = "timeline") -> SafeString | None:
    """The Gantt of a revision, from the plan part's snapshot (milestones keyed by title,
    as the snapshot names an action's milestone)."""
    milestones = [
        {"key": m.get("title"), "title": m.get("title", ""), "due_date_d": _iso_date(m.get("due_date")), "done": m.get("done")}
        for m in plan.get("milestones") or []
    ]
    actions = [
        {
            "title": a.get("title", ""),
            "due_date_d": _iso_date(a.get("due_date")),
            "milestone_key": a.get("milestone") or None,
            "status_key": "done" if a.get("status") == "Done" else "",
        }
        for a in plan.get("actions") or []
    ]
    training = [
        {"day": day, "title": t.get("title", "")} for t in plan.get("training") or [] if (day := _iso_date(t.get("starts_at")))
    ]
    return gantt_svg(
        start=_iso_date(plan.get("start_date")),
        go_live=_iso_date(plan.get("go_live_date")),
        end=_iso_date(plan.get("end_date")),
        milestones=milestones,
        actions=actions,
        training=training,
        today=today,
        ident=ident,
    )
