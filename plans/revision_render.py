"""A revision's snapshot laid out section by section for the review and revision pages.

Reads the snapshot only (never the live plan), so a revision renders as it was frozen.
The plans part has hand-chosen columns; any other part (risks, stakeholders, evaluation,
or one added later) is laid out generically from its rows, in the section it belongs to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from .diff import _humanise, _row_label, _show
from .markdown import render_markdown, word_count
from .models.plan import SECTIONS
from .parts import get_part

# Which question each part answers; a part not listed appears after the five sections.
PART_SECTIONS = {"stakeholders": "support", "risks": "implementation", "evaluation": "evaluation"}

_PLAN_TABLES = {
    "need": [
        ("drivers", "Drivers for change", ["kind", "description", "evidence_kind", "evidence", "standards"]),
    ],
    "planning": [
        ("objectives", "SMART objectives", ["title", "measure", "target", "target_date"]),
        ("resources", "Resources", ["kind", "description", "quantity", "unit", "unit_cost", "total_cost", "secured", "owner"]),
        ("milestones", "Milestones", ["title", "due_date", "done"]),
        ("actions", "Actions", ["title", "owner", "due_date", "status", "milestone"]),
        ("training", "Training schedule", ["title", "starts_at", "duration_hours", "trainer", "attendees", "backfill_hours"]),
    ],
}
_PLAN_FIELDS = {
    "need": [
        ("current_state", "Current state"),
        ("desired_state", "Desired state"),
        ("safety_link", "Link to service-user safety"),
        ("staff_message", "Message for resistant staff"),
    ],
}
_MONEY = {"unit_cost", "total_cost"}


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
    narrative: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def revision_sections(snapshot: dict) -> list[RenderedSection]:
    plan = snapshot.get("plan", {}) or {}
    narratives = plan.get("narratives", {}) or {}
    sections = []
    for s in SECTIONS:
        section = RenderedSection(s.number, s.key, s.title, s.anchor, render_markdown(narratives.get(s.key, "")))
        section.fields = [(label, plan.get(key) or "") for key, label in _PLAN_FIELDS.get(s.key, []) if plan.get(key)]
        for key, title, columns in _PLAN_TABLES.get(s.key, []):
            rows = plan.get(key) or []
            section.tables.append(
                Table(title, [_humanise(c) for c in columns], [[_cell(c, row.get(c)) for c in columns] for row in rows])
            )
        sections.append(section)
    by_key = {s.key: s for s in sections}
    other = RenderedSection(None, "other", "Other records", "section-other")
    for part_key, value in snapshot.items():
        if part_key in ("schema", "plan"):
            continue
        target = by_key.get(PART_SECTIONS.get(part_key, ""), other)
        target.tables.extend(_generic_tables(_part_title(part_key), value))
    if other.tables:
        sections.append(other)
    return sections


def snapshot_word_count(snapshot: dict) -> int:
    narratives = (snapshot.get("plan", {}) or {}).get("narratives", {}) or {}
    return sum(word_count(text) for text in narratives.values())


def _part_title(key: str) -> str:
    part = get_part(key)
    return part.title if part is not None and part.title else _humanise(key)


def _generic_tables(title: str, value) -> list[Table]:
    if isinstance(value, list):
        rows = [r for r in value if isinstance(r, dict)]
        if not rows:
            return [Table(title, [], [])] if not value else [Table(title, ["Value"], [[_show(v)] for v in value])]
        columns = [k for k in rows[0] if k != "id"]
        return [Table(title, [_humanise(c) for c in columns], [[_cell(c, r.get(c)) for c in columns] for r in rows])]
    if isinstance(value, dict):
        tables: list[Table] = []
        scalars = []
        for key, inner in value.items():
            if isinstance(inner, (list, dict)):
                tables.extend(_generic_tables(f"{title}: {_humanise(key)}", inner))
            else:
                scalars.append([_humanise(key), _cell(key, inner)])
        if scalars:
            tables.insert(0, Table(title, ["Item", "Value"], scalars))
        return tables
    return [Table(title, ["Value"], [[_show(value)]])]


def _cell(key: str, value) -> str:
    if value in (None, ""):
        return ""
    if key in _MONEY:
        return f"£{value}"
    if isinstance(value, str) and (key.endswith("date") or key.endswith("_at")):
        try:
            if "T" in value:
                moment = dt.datetime.fromisoformat(value)
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return moment.strftime("%-d %b %Y %H:%M")
            return dt.date.fromisoformat(value).strftime("%-d %b %Y")
        except ValueError:
            return value
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return ", ".join(_row_label(v) if "name" not in v else str(v["name"]) for v in value)
    return _show(value)
