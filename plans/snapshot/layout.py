"""A revision's snapshot laid out section by section for the review and revision pages.

Reads the snapshot only (never the live plan), so a revision renders as it was frozen. Each
part places its blocks under the question it answers: its own revision_blocks(), or by
default one table per row kind, with the columns the part declared, under the row kind's
section or the part's. Rows of a part that is no longer installed still show, laid out
from their keys, under "Other records".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from plans.parts import Block, Column, PlanPart, field_label, humanise, registered_parts, rows_of, show
from plans.parts.display import infer_format

from .sections import SECTIONS
from .text import render_markdown, words_in

TABLE_TEMPLATE = "plans/_revision_table.html"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class RenderedSection:
    number: int | None
    key: str
    title: str
    anchor: str
    narrative: SafeString | str = ""
    blocks: list[Block] = field(default_factory=list)
    comments: list[Any] = field(default_factory=list)  # the review comments, added by the page
    comment_form: Any = None  # an approver's comment box, added by the review page


def row_kind_blocks(part: PlanPart, snap: dict[str, Any]) -> list[Block]:
    """One table per row kind of the part, under the row kind's section or the part's."""
    blocks = []
    for kind in part.row_kinds:
        rows = rows_of(part, kind, snap)
        columns = kind.columns or _columns_from(rows, part.field_labels)
        table = Table(kind.title, [c.label for c in columns], [[c.display(row.get(c.key)) for c in columns] for row in rows])
        blocks.append(Block(TABLE_TEMPLATE, {"table": table}, section=kind.section or part.section or 0, title=kind.title))
    return blocks


def revision_sections(snap: dict[str, Any]) -> list[RenderedSection]:
    narratives = (snap.get("plan") or {}).get("narratives") or {}
    sections = [RenderedSection(s.number, s.key, s.title, s.anchor, render_markdown(narratives.get(s.key, ""))) for s in SECTIONS]
    by_number: dict[int, RenderedSection] = {s.number: s for s in sections if s.number}
    other = RenderedSection(None, "other", "Other records", "section-other")
    placed = {"schema"}
    for part in registered_parts():
        if part.key not in snap:
            continue  # a revision frozen before this part was installed
        placed.add(part.key)
        blocks = part.revision_blocks(snap)
        for block in row_kind_blocks(part, snap) if blocks is None else blocks:
            by_number.get(block.section, other).blocks.append(block)
    for key, value in snap.items():
        if key not in placed:
            other.blocks.extend(Block(TABLE_TEMPLATE, {"table": t}) for t in _generic_tables(humanise(key), value))
    for section in [*sections, other]:
        section.blocks.sort(key=lambda b: b.order)  # stable: equal orders keep the parts' order
    return sections + ([other] if other.blocks else [])


def snapshot_word_count(snap: dict[str, Any]) -> int:
    return words_in((snap.get("plan") or {}).get("narratives") or {})


def _columns_from(rows: list[dict[str, Any]], labels: dict[str, str]) -> tuple[Column, ...]:
    """A row kind declared without columns shows every field of its first row but the id."""
    if not rows:
        return ()
    return tuple(Column(k, field_label(labels, k), infer_format(k, v)) for k, v in rows[0].items() if k != "id")


def _generic_tables(title: str, value: Any) -> list[Table]:
    """Tables for a part nobody describes any more: lists of rows, nested dicts, scalars."""
    if isinstance(value, list):
        rows = [r for r in value if isinstance(r, dict)]
        if not rows:
            return [Table(title, [], [])] if not value else [Table(title, ["Value"], [[show(v)] for v in value])]
        columns = _columns_from(rows, {})
        return [Table(title, [c.label for c in columns], [[c.display(r.get(c.key)) for c in columns] for r in rows])]
    if isinstance(value, dict):
        tables: list[Table] = []
        scalars = []
        for key, inner in value.items():
            if isinstance(inner, (list, dict)):
                tables.extend(_generic_tables(f"{title}: {humanise(key)}", inner))
            else:
                scalars.append([humanise(key), Column(key, key, infer_format(key, inner)).display(inner)])
        if scalars:
            tables.insert(0, Table(title, ["Item", "Value"], scalars))
        return tables
    return [Table(title, ["Value"], [[show(value)]])]
