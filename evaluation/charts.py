"""The evaluation's pictures, drawn on the server as SVG (the same markup on the page and in
the PDF): a KPI's run chart and the benefits-against-cost chart. Each has a title and a
description for screen readers, and the page shows the numbers as a table beside it.

Numbers, dates and escaped names only: no user markup reaches the SVG.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from oakview.core.formats import long_date

from . import rules

FONTS = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#212529"
MUTED = "#495057"
GRID = "#ced4da"
LINE = "#0b5394"
BASELINE = "#6c3483"
TARGET = "#1e7b34"
GO_LIVE = "#b02a37"
COST = "#b02a37"
BENEFIT = "#1e7b34"

W, H = 640, 260
L, R, T, B = 56, 110, 16, 44


def _day_month(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _fmt(value: Decimal | float) -> str:
    return rules.plain(Decimal(str(value)).quantize(Decimal("0.1")))


def describe_run(name: str, unit: str, terms: rules.Terms, readings: Sequence[rules.Reading]) -> str:
    parts = [f"{name}, in {unit}."]
    if terms.baseline is not None:
        parts.append(f"Baseline {rules.plain(terms.baseline)}.")
    if terms.target is not None:
        by = f" by {long_date(terms.target_date)}" if terms.target_date else ""
        parts.append(f"Target {rules.plain(terms.target)}{by}.")
    if terms.go_live:
        parts.append(f"Go-live {long_date(terms.go_live)}.")
    if readings:
        first, last = readings[0], readings[-1]
        low = min(readings, key=lambda r: r.value)
        high = max(readings, key=lambda r: r.value)
        parts.append(
            f"{len(readings)} measurement{'s' if len(readings) != 1 else ''}: {rules.plain(first.value)} on {long_date(first.date)}, "
            f"latest {rules.plain(last.value)} on {long_date(last.date)}; lowest {rules.plain(low.value)} ({long_date(low.date)}), "
            f"highest {rules.plain(high.value)} ({long_date(high.date)})."
        )
    else:
        parts.append("No measurements yet.")
    return " ".join(parts)


def run_chart_svg(*, name: str, unit: str, terms: rules.Terms, readings: Sequence[rules.Reading], id_prefix: str) -> SafeString:
    """Measurements as a line over time, with the baseline and target as horizontal lines and
    go-live as a vertical marker, so the expected dip after go-live reads as such."""
    days = [r.date for r in readings] + [d for d in (terms.baseline_date, terms.target_date, terms.go_live) if d]
    if not days:
        days = [dt.date.today()]
    start, end = min(days), max(days)
    if start == end:
        start, end = start - dt.timedelta(days=7), end + dt.timedelta(days=7)
    values = [float(r.value) for r in readings] + [float(v) for v in (terms.baseline, terms.target) if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.12
    low, high = low - pad, high + pad
    if low < 0 <= min(values or [0]):
        low = 0.0
    plot_w, plot_h = W - L - R, H - T - B
    span = (end - start).days

    def x_at(day: dt.date) -> float:
        return L + plot_w * (day - start).days / span

    def y_at(value: float) -> float:
        return T + plot_h * (1 - (value - low) / (high - low))

    out = []
    for i in range(5):
        v = low + (high - low) * i / 4
        y = y_at(v)
        out.append(
            f'<line x1="{L}" y1="{y:.1f}" x2="{L + plot_w}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">{_fmt(v)}</text>'
        )
    for i in range(5):
        day = start + dt.timedelta(days=round(span * i / 4))
        out.append(
            f'<text x="{x_at(day):.1f}" y="{H - B + 16}" text-anchor="middle" font-size="11" fill="{MUTED}">{_day_month(day)}</text>'
        )
    out.append(
        f'<text x="{L + plot_w / 2:.1f}" y="{H - 6}" text-anchor="middle" font-size="11" font-style="italic" fill="{MUTED}">'
        f"{escape(unit)}, by date measured</text>"
    )
    for value, colour, label, dash in (
        (terms.baseline, BASELINE, "Baseline", "6 4"),
        (terms.target, TARGET, "Target", "2 3"),
    ):
        if value is None:
            continue
        y = y_at(float(value))
        out.append(
            f'<line class="run-{label.lower()}" x1="{L}" y1="{y:.1f}" x2="{L + plot_w}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="{L + plot_w + 6}" y="{y + 4:.1f}" font-size="11" font-weight="bold" fill="{colour}">'
            f"{label} {rules.plain(value)}</text>"
        )
    if terms.go_live and start <= terms.go_live <= end:
        x = x_at(terms.go_live)
        out.append(
            f'<line class="run-go-live" x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + plot_h}" stroke="{GO_LIVE}" stroke-width="2"/>'
            f'<text x="{x + 4:.1f}" y="{T + 11}" font-size="11" font-weight="bold" fill="{GO_LIVE}">Go-live</text>'
        )
    if readings:
        points = " ".join(f"{x_at(r.date):.1f},{y_at(float(r.value)):.1f}" for r in readings)
        out.append(f'<polyline class="run-line" points="{points}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
        for r in readings:
            out.append(
                f'<circle class="run-point" cx="{x_at(r.date):.1f}" cy="{y_at(float(r.value)):.1f}" r="3.5" fill="{LINE}">'
                f"<title>{long_date(r.date)}: {rules.plain(r.value)}</title></circle>"
            )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return mark_safe(  # noqa: S308 - numbers, dates and escaped text only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart run-chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="{FONTS}">'
        f'<title id="{title_id}">{escape(name)}: run chart</title>'
        f'<desc id="{desc_id}">{escape(describe_run(name, unit, terms, readings))}</desc>' + "".join(out) + "</svg>"
    )


# --- Benefits against cost ------------------------------------------------------------------


def nice_ceiling(value: float) -> float:
    """The next round number at or above value (1, 2, 2.5 or 5 times a power of ten), so the
    axis reads £100,000 rather than £95,779."""
    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def describe_benefits(b: rules.Benefits) -> str:
    payback = (
        f"It pays back in {rules.plain(b.payback_months)} months."
        if b.payback_months is not None
        else "It does not pay back in money."
    )
    return (
        f"The plan costs £{b.cost:,.0f}. Benefits are £{b.benefit_a_year:,.0f} a year "
        f"(£{b.time_value_a_year:,.0f} of care time and £{b.avoided_a_year:,.0f} of avoided costs), "
        f"£{b.benefit_a_year * b.horizon_years:,.0f} over {b.horizon_years} years. {payback}"
    )


def benefits_svg(b: rules.Benefits, *, id_prefix: str) -> SafeString:
    """The cost as one bar, and the benefit building up year by year beside it."""
    bars = [("Cost", b.cost, COST)] + [
        (f"Year {year}", b.benefit_a_year * year, BENEFIT) for year in range(1, b.horizon_years + 1)
    ]
    top = nice_ceiling(max([float(v) for _, v, _ in bars] + [1.0]) * 1.08)
    left = 78  # room for "£100,000"
    plot_w, plot_h = W - left - 20, H - T - B
    width = plot_w / len(bars)

    def y_at(value: float) -> float:
        return T + plot_h * (1 - value / top)

    out = []
    for i in range(5):
        v = top * i / 4
        y = y_at(v)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">£{v:,.0f}</text>'
        )
    for i, (label, value, colour) in enumerate(bars):
        x = left + width * i + width * 0.15
        y = y_at(float(value))
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width * 0.7:.1f}" height="{T + plot_h - y:.1f}" fill="{colour}">'
            f"<title>{label}: £{value:,.0f}</title></rect>"
            f'<text x="{x + width * 0.35:.1f}" y="{H - B + 16}" text-anchor="middle" font-size="11" fill="{INK}">{label}</text>'
            f'<text x="{x + width * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" fill="{INK}">£{value:,.0f}</text>'
        )
    cost_y = y_at(float(b.cost))
    out.append(
        f'<line x1="{left}" y1="{cost_y:.1f}" x2="{left + plot_w}" y2="{cost_y:.1f}" stroke="{COST}" stroke-width="1.5" stroke-dasharray="5 4"/>'
    )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{H - 6}" text-anchor="middle" font-size="11" font-style="italic" fill="{MUTED}">'
        "The plan's cost, and the benefit added up year by year</text>"
    )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return mark_safe(  # noqa: S308 - numbers and fixed strings only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart benefits-chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="{FONTS}">'
        f'<title id="{title_id}">Benefits against cost</title><desc id="{desc_id}">{escape(describe_benefits(b))}</desc>'
        + "".join(out)
        + "</svg>"
    )
