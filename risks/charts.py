"""The risk heat map, drawn on the server as SVG so the page, the review page and the PDF
show the same picture. Colours come from risks.matrix; presentation attributes only (the
site's CSP forbids inline styles), and every piece of text is escaped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import matrix

CELL = 60
LEFT = 104  # room for "Almost certain"
TOP = 36
BOTTOM = 58
RIGHT = 10
WIDTH = LEFT + 5 * CELL + RIGHT
HEIGHT = TOP + 5 * CELL + BOTTOM
FONTS = "Carlito, Calibri, 'Liberation Sans', Arial, sans-serif"

BASIS_TITLES = {
    "inherent": "Before mitigation (inherent risk)",
    "residual": "After mitigation (residual risk)",
}


@dataclass(frozen=True)
class Cell:
    likelihood: matrix.Level
    impact: matrix.Level
    count: int
    band: matrix.Band
    href: str = ""
    selected: bool = False

    @property
    def score(self) -> int:
        return matrix.score(self.likelihood.value, self.impact.value)

    @property
    def label(self) -> str:
        risks = "risk" if self.count == 1 else "risks"
        return (
            f"Likelihood {self.likelihood.name} by impact {self.impact.name}: score {self.score}, "
            f"{self.band.name.lower()}, {self.count} {risks}"
        )


def grid(
    counts: dict[tuple[int, int], int],
    *,
    href_for: Callable[[int, int], str] | None = None,
    selected: tuple[int, int] | None = None,
) -> list[list[Cell]]:
    """Rows from 'Almost certain' (top) down to 'Rare'; columns from 'Negligible' to
    'Catastrophic', the way the NPSA matrix is usually printed."""
    rows = []
    for likelihood in reversed(matrix.LIKELIHOOD):
        row = []
        for impact in matrix.IMPACT:
            n = counts.get((likelihood.value, impact.value), 0)
            row.append(
                Cell(
                    likelihood=likelihood,
                    impact=impact,
                    count=n,
                    band=matrix.band_of(likelihood.value, impact.value),
                    href=href_for(likelihood.value, impact.value) if (href_for and n) else "",
                    selected=selected == (likelihood.value, impact.value),
                )
            )
        rows.append(row)
    return rows


def describe(counts: dict[tuple[int, int], int], basis: str) -> str:
    """The text alternative: totals per band, then every occupied cell."""
    per_band = {b.key: 0 for b in matrix.BANDS}
    for (likelihood, impact), n in counts.items():
        per_band[matrix.band_of(likelihood, impact).key] += n
    total = sum(per_band.values())
    if not total:
        return f"{BASIS_TITLES[basis]}: no risks recorded."
    bands = ", ".join(f"{per_band[b.key]} {b.name.lower()}" for b in reversed(matrix.BANDS))
    cells = "; ".join(cell.label for row in grid(counts) for cell in row if cell.count)
    risks = "risk" if total == 1 else "risks"
    return f"{BASIS_TITLES[basis]}: {total} {risks} — {bands}. {cells}."


def heat_map_svg(
    counts: dict[tuple[int, int], int],
    *,
    basis: str,
    id_prefix: str,
    href_for: Callable[[int, int], str] | None = None,
    selected: tuple[int, int] | None = None,
) -> SafeString:
    """A 5x5 heat map. With href_for, each occupied cell links to the risks in it (the page);
    without, it is a plain picture."""
    title_id = f"{id_prefix}-title"
    desc_id = f"{id_prefix}-desc"
    # With links inside, role=img would hide them from assistive technology.
    role = "group" if href_for else "img"
    return mark_safe(  # noqa: S308 - every variable is escaped or a number
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="{role}" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-family="{FONTS}">'
        f'<title id="{escape(title_id)}">{escape("Risk heat map: " + BASIS_TITLES[basis].lower())}</title>'
        f'<desc id="{escape(desc_id)}">{escape(describe(counts, basis))}</desc>'
        f"{_map_body(counts, basis=basis, href_for=href_for, selected=selected)}</svg>"
    )


def heat_map_pair_svg(
    inherent: dict[tuple[int, int], int], residual: dict[tuple[int, int], int], *, id_prefix: str
) -> SafeString:
    """Both maps side by side in one picture, for print, where two separate figures would
    each be scaled to the page width and split across pages."""
    gap = 24
    width = 2 * WIDTH + gap
    title_id = f"{id_prefix}-title"
    desc_id = f"{id_prefix}-desc"
    return mark_safe(  # noqa: S308 - every variable is escaped or a number
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat-map" viewBox="0 0 {width} {HEIGHT}" '
        f'width="{width}" height="{HEIGHT}" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-family="{FONTS}">'
        f'<title id="{escape(title_id)}">Risk heat maps before and after mitigation</title>'
        f'<desc id="{escape(desc_id)}">{escape(describe(inherent, "inherent"))} {escape(describe(residual, "residual"))}</desc>'
        f"<g>{_map_body(inherent, basis='inherent')}</g>"
        f'<g transform="translate({WIDTH + gap} 0)">{_map_body(residual, basis="residual")}</g></svg>'
    )


def _map_body(
    counts: dict[tuple[int, int], int],
    *,
    basis: str,
    href_for: Callable[[int, int], str] | None = None,
    selected: tuple[int, int] | None = None,
) -> str:
    out: list[str] = [
        f'<text x="{LEFT + 5 * CELL / 2:g}" y="20" text-anchor="middle" font-size="15" font-weight="bold" fill="#212529">'
        f"{escape(BASIS_TITLES[basis])}</text>",
    ]
    for r, row in enumerate(grid(counts, href_for=href_for, selected=selected)):
        y = TOP + r * CELL
        likelihood = row[0].likelihood
        out.append(
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 - 2:g}" text-anchor="end" font-size="12" fill="#212529">'
            f"{escape(likelihood.name)}</text>"
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 12:g}" text-anchor="end" font-size="11" fill="#212529">'
            f"({likelihood.value})</text>"
        )
        for c, cell in enumerate(row):
            x = LEFT + c * CELL
            stroke, width = ("#0b0c0c", 4) if cell.selected else ("#ffffff", 2)
            shape = (
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{cell.band.fill}" '
                f'stroke="{stroke}" stroke-width="{width}"/>'
                f'<text x="{x + 5}" y="{y + 13}" font-size="10" fill="{cell.band.ink}" aria-hidden="true">{cell.score}</text>'
            )
            if cell.count:
                shape += (
                    f'<text x="{x + CELL / 2:g}" y="{y + CELL / 2 + 8:g}" text-anchor="middle" font-size="22" '
                    f'font-weight="bold" fill="{cell.band.ink}" aria-hidden="true">{cell.count}</text>'
                )
            if cell.href:
                # Named by a <title> child, not aria-label: axe rightly objects when a link's
                # visible text (the count) is missing from an aria-label.
                out.append(f'<a href="{escape(cell.href)}"><title>{escape(cell.label)}</title>{shape}</a>')
            else:
                out.append(f"<g>{shape}</g>")
    for c, impact in enumerate(matrix.IMPACT):
        cx = LEFT + c * CELL + CELL / 2
        out.append(
            f'<text x="{cx:g}" y="{TOP + 5 * CELL + 16}" text-anchor="middle" font-size="12" fill="#212529">'
            f"{escape(impact.name)}</text>"
            f'<text x="{cx:g}" y="{TOP + 5 * CELL + 30}" text-anchor="middle" font-size="11" fill="#212529">'
            f"({impact.value})</text>"
        )
    out.append(
        f'<text x="{LEFT + 5 * CELL / 2:g}" y="{HEIGHT - 6}" text-anchor="middle" font-size="12" font-style="italic" '
        'fill="#212529">Impact →</text>'
        f'<text x="12" y="{TOP + 5 * CELL / 2:g}" text-anchor="middle" font-size="12" font-style="italic" '
        f'fill="#212529" transform="rotate(-90 12 {TOP + 5 * CELL / 2:g})">Likelihood →</text>'
    )
    return "".join(out)
