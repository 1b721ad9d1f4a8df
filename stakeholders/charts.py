"""The power/interest grid and the stance-over-time line, drawn on the server as SVG so the
page, the revision page and the PDF show the same picture.

Stance is shown on every marker by shape and colour (never colour alone), each marker
carries its stakeholder's number from the table beside it, and every chart has a <title>,
a <desc> and a table alternative. Presentation attributes only (the site's CSP forbids
inline styles; WeasyPrint reads them too), and every piece of text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from oakview.core.formats import day_month, long_date

from . import rules, vocab

FONTS = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"
INK = "#212529"

CELL = 100
LEFT = 112
TOP = 12
BOTTOM = 58
RIGHT = 8
GRID_W = LEFT + 5 * CELL + RIGHT
GRID_H = TOP + 5 * CELL + BOTTOM
MARKER = 11  # radius
SLOTS = 3  # markers per row and per column in a square
LABEL_STRIP = 18  # room for the quadrant's name in its corner square


@dataclass(frozen=True)
class GridPoint:
    number: int
    name: str
    power: int
    interest: int
    stance: vocab.Stance
    kind: str = ""
    headcount: int = 1
    shift: str = ""
    id: int | None = None

    @classmethod
    def from_row(cls, number: int, row: dict) -> GridPoint:
        """From a live values() row or a snapshot row (which names kind and shift)."""
        return cls(
            number=number,
            name=str(row.get("name", "")),
            power=_level(row.get("power")),
            interest=_level(row.get("interest")),
            stance=vocab.stance(row.get("stance")),
            kind=vocab.kind_key(row.get("kind")),
            headcount=int(row.get("headcount") or 0),
            shift=vocab.shift_key(row.get("shift_pattern")),
            id=row.get("id"),
        )

    @property
    def quadrant(self) -> vocab.Quadrant:
        return vocab.quadrant_of(self.power, self.interest)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name} ({self.stance.name.lower()})"

    def as_group(self) -> dict:
        return {"name": self.name, "shift": self.shift, "stance": self.stance.key, "headcount": self.headcount}


def _level(value) -> int:
    try:
        return min(max(int(value), vocab.MIN_LEVEL), vocab.MAX_LEVEL)
    except (TypeError, ValueError):
        return vocab.MIN_LEVEL


def by_cell(points: list[GridPoint]) -> dict[tuple[int, int], list[GridPoint]]:
    cells: dict[tuple[int, int], list[GridPoint]] = {}
    for point in points:
        cells.setdefault((point.power, point.interest), []).append(point)
    return cells


def describe_grid(points: list[GridPoint]) -> str:
    if not points:
        return "No stakeholders mapped yet."
    parts = []
    for quadrant in vocab.QUADRANTS:
        inside = [p for p in points if p.quadrant == quadrant]
        if inside:
            parts.append(f"{quadrant.name}: " + ", ".join(p.label for p in inside))
    n = len(points)
    return f"{n} stakeholder{'s' if n != 1 else ''} by power (up) and interest (across). " + "; ".join(parts) + "."


def grid_svg(
    points: list[GridPoint],
    *,
    id_prefix: str,
    href_for: Callable[[int, int], str] | None = None,
    selected: tuple[int, int] | None = None,
) -> SafeString:
    """The 5x5 grid, power up the side and interest along the bottom, quadrants shaded.
    With href_for, each occupied square links to the stakeholders in it (the page)."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    role = "group" if href_for else "img"  # role=img would hide the links inside
    cells = by_cell(points)
    out = [_quadrants(), _axes()]
    for (power, interest), inside in sorted(cells.items()):
        out.append(_cell(power, interest, inside, href_for, selected == (power, interest)))
    return mark_safe(  # noqa: S308 - every variable is escaped or a number
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart stakeholder-grid" viewBox="0 0 {GRID_W} {GRID_H}" '
        f'width="{GRID_W}" height="{GRID_H}" role="{role}" aria-labelledby="{title_id} {desc_id}" font-family="{FONTS}">'
        f'<title id="{title_id}">Stakeholder map: power and interest, with each stakeholder’s stance</title>'
        f'<desc id="{desc_id}">{escape(describe_grid(points))}</desc>' + "".join(out) + "</svg>"
    )


def _xy(power: int, interest: int) -> tuple[int, int]:
    return LEFT + (interest - 1) * CELL, TOP + (vocab.MAX_LEVEL - power) * CELL


def _quadrants() -> str:
    out = []
    for power in range(1, 6):
        for interest in range(1, 6):
            x, y = _xy(power, interest)
            fill = vocab.quadrant_of(power, interest).fill
            out.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#ffffff" stroke-width="2"/>')
    # The quadrant lines, and each quadrant's name in its top-left square.
    split_x = LEFT + (vocab.HIGH_FROM - 1) * CELL
    split_y = TOP + (vocab.MAX_LEVEL - vocab.HIGH_FROM + 1) * CELL
    out.append(f'<line x1="{split_x}" y1="{TOP}" x2="{split_x}" y2="{TOP + 5 * CELL}" stroke="#495057" stroke-width="2"/>')
    out.append(f'<line x1="{LEFT}" y1="{split_y}" x2="{LEFT + 5 * CELL}" y2="{split_y}" stroke="#495057" stroke-width="2"/>')
    for quadrant in vocab.QUADRANTS:
        power = vocab.MAX_LEVEL if quadrant.high_power else vocab.HIGH_FROM - 1
        interest = vocab.HIGH_FROM if quadrant.high_interest else vocab.MIN_LEVEL
        x, y = _xy(power, interest)
        out.append(
            f'<text x="{x + 6}" y="{y + 14}" font-size="12" font-weight="bold" fill="{INK}">{escape(quadrant.name)}</text>'
        )
    return "".join(out)


def _axes() -> str:
    out = []
    for level in vocab.POWER:
        _, y = _xy(level.value, 1)
        out.append(
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 - 2:g}" text-anchor="end" font-size="12" fill="{INK}">{escape(level.name)}</text>'
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 12:g}" text-anchor="end" font-size="11" fill="{INK}">({level.value})</text>'
        )
    for level in vocab.INTEREST:
        x, _ = _xy(1, level.value)
        base = TOP + 5 * CELL
        out.append(
            f'<text x="{x + CELL / 2:g}" y="{base + 16}" text-anchor="middle" font-size="12" fill="{INK}">{escape(level.name)}</text>'
            f'<text x="{x + CELL / 2:g}" y="{base + 30}" text-anchor="middle" font-size="11" fill="{INK}">({level.value})</text>'
        )
    mid_y = TOP + 5 * CELL / 2
    out.append(
        f'<text x="{LEFT + 5 * CELL / 2:g}" y="{GRID_H - 6}" text-anchor="middle" font-size="12" font-style="italic" fill="{INK}">Interest →</text>'
        f'<text x="14" y="{mid_y:g}" text-anchor="middle" font-size="12" font-style="italic" fill="{INK}" '
        f'transform="rotate(-90 14 {mid_y:g})">Power →</text>'
    )
    return "".join(out)


def _cell(power: int, interest: int, inside: list[GridPoint], href_for, selected: bool) -> str:
    x, y = _xy(power, interest)
    quadrant = vocab.quadrant_of(power, interest)
    corner = _xy(
        vocab.MAX_LEVEL if quadrant.high_power else vocab.HIGH_FROM - 1,
        vocab.HIGH_FROM if quadrant.high_interest else vocab.MIN_LEVEL,
    ) == (x, y)
    top = y + (LABEL_STRIP if corner else 4)
    step_x = CELL / SLOTS
    step_y = (CELL - (top - y) - 2) / SLOTS
    capacity = SLOTS * SLOTS
    shown = inside if len(inside) <= capacity else inside[: capacity - 1]
    body = []
    if selected:
        body.append(
            f'<rect x="{x + 2}" y="{y + 2}" width="{CELL - 4}" height="{CELL - 4}" fill="none" stroke="#0b0c0c" stroke-width="3"/>'
        )
    for i, point in enumerate(shown):
        cx = x + step_x * (i % SLOTS) + step_x / 2
        cy = top + step_y * (i // SLOTS) + step_y / 2
        body.append(marker(point.stance, cx, cy, str(point.number), title=point.label if not href_for else ""))
    if len(shown) < len(inside):
        cx = x + step_x * (SLOTS - 1) + step_x / 2
        cy = top + step_y * (SLOTS - 1) + step_y / 2
        body.append(
            f'<text x="{cx:g}" y="{cy + 4:g}" text-anchor="middle" font-size="12" font-weight="bold" fill="{INK}" '
            f'aria-hidden="true">+{len(inside) - len(shown)}</text>'
        )
    group = "".join(body)
    if href_for:
        names = "; ".join(p.label for p in inside)
        label = f"Power {power}, interest {interest} ({quadrant.name.lower()}): {names}"
        # Named by a <title> child rather than aria-label, so the link's name holds its text.
        return (
            f'<a href="{escape(href_for(power, interest))}" class="grid-cell"><title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="#ffffff" fill-opacity="0"/>{group}</a>'
        )
    return f"<g>{group}</g>"


def _shape(shape: str, cx: float, cy: float, r: float) -> tuple[str, float]:
    """The marker's outline and the baseline offset that centres its number."""
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{cx - s:g}" y="{cy - s:g}" width="{2 * s:g}" height="{2 * s:g}"', 4
    if shape == "diamond":
        d = r * 1.2
        return f'<polygon points="{cx:g},{cy - d:g} {cx + d:g},{cy:g} {cx:g},{cy + d:g} {cx - d:g},{cy:g}"', 4
    if shape == "triangle":
        t = r * 1.45
        return f'<polygon points="{cx:g},{cy - t:g} {cx + t:g},{cy + t * 0.75:g} {cx - t:g},{cy + t * 0.75:g}"', 6.5
    if shape == "hexagon":
        pts = " ".join(
            f"{cx + r * 1.1 * math.cos(math.radians(a)):.1f},{cy + r * 1.1 * math.sin(math.radians(a)):.1f}"
            for a in range(0, 360, 60)
        )
        return f'<polygon points="{pts}"', 4
    return f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}"', 4


def marker(stance: vocab.Stance, cx: float, cy: float, text: str = "", *, title: str = "", r: float = MARKER) -> str:
    outline, offset = _shape(stance.shape, cx, cy, r)
    size = 11 if len(text) <= 2 else 8.5
    stroke = "#212529" if stance.key == "unknown" else "#ffffff"
    tip = f"<title>{escape(title)}</title>" if title else ""
    label = (
        (
            f'<text x="{cx:g}" y="{cy + offset - (1 if size < 11 else 0):g}" text-anchor="middle" font-size="{size}" '
            f'font-weight="bold" fill="{stance.ink}" aria-hidden="true">{escape(text)}</text>'
        )
        if text
        else ""
    )
    return f'<g class="marker marker-{stance.key}">{tip}{outline} fill="{stance.fill}" stroke="{stroke}" stroke-width="1.5"/>{label}</g>'


def legend_svg(stance: vocab.Stance, *, size: int = 20) -> SafeString:
    """A small picture of a stance's marker, for the key beside the grid (decorative: the
    stance's name is written next to it)."""
    return mark_safe(  # noqa: S308 - numbers and fixed strings only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stance-key align-middle" width="{size}" height="{size}" viewBox="0 0 26 26" '
        f'aria-hidden="true" focusable="false">{marker(stance, 13, 13, r=9)}</svg>'
    )


# --- Stance over time ----------------------------------------------------------------------

LINE_W, LINE_H = 640, 250
PLOT_L, PLOT_R, PLOT_T, PLOT_B = 48, 170, 16, 42
SUPPORT_COLOUR = vocab.STANCE_BY_KEY["supportive"].fill
RESIST_COLOUR = vocab.STANCE_BY_KEY["resistant"].fill


def describe_weeks(weeks: list[rules.WeekShare]) -> str:
    if not weeks:
        return "No stance history for staff yet."
    first, last = weeks[0], weeks[-1]
    return (
        f"Share of staff by headcount, week by week. Week of {long_date(first.week)}: {first.supportive:g}% supportive "
        f"or champions, {first.resistant:g}% resistant or sceptical. Week of {long_date(last.week)}: "
        f"{last.supportive:g}% supportive or champions, {last.resistant:g}% resistant or sceptical."
    )


def _end_labels(weeks: list[rules.WeekShare], x: float, y_at) -> str:
    """The latest value of each line at its end, kept apart when the two are close."""
    last = weeks[-1]
    ys = {"supportive": y_at(last.supportive) + 4, "resistant": y_at(last.resistant) + 4}
    if abs(ys["supportive"] - ys["resistant"]) < 16:
        upper, lower = sorted(ys, key=lambda k: ys[k])
        middle = (ys[upper] + ys[lower]) / 2
        ys[upper], ys[lower] = middle - 8, middle + 8
    return "".join(
        f'<text x="{x:g}" y="{ys[key]:g}" font-size="12" font-weight="bold" fill="{colour}">{value:g}% {text}</text>'
        for key, value, colour, text in (
            ("supportive", last.supportive, SUPPORT_COLOUR, "supportive"),
            ("resistant", last.resistant, RESIST_COLOUR, "resistant or sceptical"),
        )
    )


def stance_line_svg(weeks: list[rules.WeekShare], *, id_prefix: str) -> SafeString | None:
    if not weeks:
        return None
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    plot_w = LINE_W - PLOT_L - PLOT_R
    plot_h = LINE_H - PLOT_T - PLOT_B
    n = len(weeks)

    def x_at(i: int) -> float:
        return PLOT_L + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_at(value: float) -> float:
        return PLOT_T + plot_h * (1 - value / 100)

    out = []
    for tick in (0, 25, 50, 75, 100):
        y = y_at(tick)
        out.append(
            f'<line x1="{PLOT_L}" y1="{y:g}" x2="{PLOT_L + plot_w}" y2="{y:g}" stroke="#ced4da" stroke-width="1"/>'
            f'<text x="{PLOT_L - 6}" y="{y + 4:g}" text-anchor="end" font-size="11" fill="{INK}">{tick}%</text>'
        )
    every = max(1, math.ceil(n / 8))  # at most eight date labels
    for i, week in enumerate(weeks):
        if i % every == 0 or i == n - 1:
            out.append(
                f'<text x="{x_at(i):g}" y="{LINE_H - PLOT_B + 16}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{day_month(week.week)}</text>'
            )
    out.append(
        f'<text x="{PLOT_L + plot_w / 2:g}" y="{LINE_H - 6}" text-anchor="middle" font-size="11" font-style="italic" '
        f'fill="{INK}">Week beginning</text>'
    )
    for attr, colour, dash in (("supportive", SUPPORT_COLOUR, ""), ("resistant", RESIST_COLOUR, ' stroke-dasharray="6 4"')):
        points = " ".join(f"{x_at(i):.1f},{y_at(getattr(w, attr)):.1f}" for i, w in enumerate(weeks))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        stance = vocab.STANCE_BY_KEY["supportive" if attr == "supportive" else "resistant"]
        for i, w in enumerate(weeks):
            out.append(marker(stance, x_at(i), y_at(getattr(w, attr)), r=4.5))
    out.append(_end_labels(weeks, x_at(n - 1) + 10, y_at))
    return mark_safe(  # noqa: S308 - numbers, dates and fixed strings only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart stance-line" viewBox="0 0 {LINE_W} {LINE_H}" '
        f'width="{LINE_W}" height="{LINE_H}" role="img" aria-labelledby="{title_id} {desc_id}" font-family="{FONTS}">'
        f'<title id="{title_id}">Staff stance over time</title><desc id="{desc_id}">{escape(describe_weeks(weeks))}</desc>'
        + "".join(out)
        + "</svg>"
    )
