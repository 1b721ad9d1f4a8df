"""The care-hours cover chart, drawn as SVG on the server: no script, works in the PDF too."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .care_hours import DayCover

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 48
OK_FILL, SHORT_FILL, LINE = "#2f6b3a", "#b02a37", "#1f1f1f"


def _h(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _n(value: float) -> str:
    return f"{value:.1f}"


def cover_chart_svg(days: list[DayCover], *, chart_id: str = "cover-chart") -> SafeString:
    """Bars: care hours available on each training day; line: the required hours.
    Short days are red and marked with "!" so colour is not the only signal."""
    if not days:
        return mark_safe("")
    top_value = max(max(d.available for d in days), max(d.required for d in days), Decimal(1))
    top_value = (top_value * Decimal("1.1")).quantize(Decimal(1))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + plot_h - float(value) / float(top_value) * plot_h

    step = plot_w / len(days)
    bar_w = max(min(step * 0.6, 48), 3)
    short = [d for d in days if d.is_short]
    desc = (
        f"{len(days)} training day{'s' if len(days) != 1 else ''}; "
        + (f"{len(short)} below the required {_h(days[0].required)} hours: " + ", ".join(f"{d.day:%-d %b} short by {_h(d.shortfall)} h" for d in short)
           if short else f"all at or above the required {_h(days[0].required)} hours")
        + "."
    )
    parts = [
        format_html(
            '<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">',
            WIDTH, HEIGHT, WIDTH, HEIGHT, chart_id, chart_id,
        ),
        format_html('<title id="{}-title">Care hours available on training days against the requirement</title>', chart_id),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, desc),
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d" stroke-width="1"/>', LEFT, TOP + plot_h, WIDTH - RIGHT, TOP + plot_h),
    ]
    for tick in (Decimal(0), top_value / 2, top_value):
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">{}</text>',
            LEFT - 6, _n(y(tick) + 4), int(tick),
        ))
    label_every = max(1, len(days) // 12)
    for i, d in enumerate(days):
        x = LEFT + i * step + (step - bar_w) / 2
        fill = SHORT_FILL if d.is_short else OK_FILL
        parts.append(format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} h available, {} required{}</title></rect>',
            _n(x), _n(y(d.available)), _n(bar_w), _n(max(y(Decimal(0)) - y(d.available), 0)), fill,
            f"{d.day:%-d %b}", _h(d.available), _h(d.required), f", short by {_h(d.shortfall)} h" if d.is_short else "",
        ))
        if d.is_short:
            parts.append(format_html(
                '<text x="{}" y="{}" font-size="13" font-weight="bold" text-anchor="middle" fill="{}">!</text>',
                _n(x + bar_w / 2), _n(y(d.available) - 4), SHORT_FILL,
            ))
        if i % label_every == 0:
            parts.append(format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#333">{}</text>',
                _n(x + bar_w / 2), HEIGHT - BOTTOM + 16, f"{d.day:%-d %b}",
            ))
    req_y = y(days[0].required)
    parts.append(format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>',
        LEFT, _n(req_y), WIDTH - RIGHT, _n(req_y), LINE,
    ))
    # The key sits above the plot so it never covers a bar.
    parts.append(format_html(
        '<line x1="{}" y1="12" x2="{}" y2="12" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>'
        '<text x="{}" y="16" font-size="11" text-anchor="end" fill="{}">required: {} h a day</text>',
        WIDTH - RIGHT - 150, WIDTH - RIGHT - 124, LINE, WIDTH - RIGHT, LINE, _h(days[0].required),
    ))
    parts.append(format_html('<text x="{}" y="{}" font-size="11" fill="#333">Care hours per day</text>', 4, HEIGHT - 8))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # every value above went through format_html

