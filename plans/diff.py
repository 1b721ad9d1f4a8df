"""What changed between two revision snapshots, for the review page.

A pure function of two snapshots (plans.parts.build_snapshot output): no database, no
models, so it diffs a revision frozen years ago under an older schema exactly as it did
then. It knows nothing of particular parts: any part whose snapshot is a dict of fields
and lists of rows, or a list of rows, diffs without touching this module. Rows are dicts
with an "id"; a row is labelled by its title, else description, else name.
"""

from __future__ import annotations

import difflib
import re

from .models.plan import SECTIONS
from .parts import Change, get_part

_ROW_NAMES = {
    "drivers": "Driver",
    "objectives": "Objective",
    "resources": "Resource",
    "milestones": "Milestone",
    "actions": "Action",
    "training": "Training session",
    "risks": "Risk",
    "stakeholders": "Stakeholder",
    "kpis": "KPI",
}
_FIELD_NAMES = {
    "go_live_date": "Go-live date",
    "safety_link": "Link to service-user safety",
    "staff_message": "Message for resistant staff",
    "unit_cost": "Unit cost (£)",
    "total_cost": "Total cost (£)",
}
_SECTION_TITLES = {s.key: f"{s.number}. {s.title}" for s in SECTIONS}
_TEXT_LIMIT = 120  # longer values, or any with a line break, get a word-level diff


def diff_snapshots(old: dict | None, new: dict) -> list[Change]:
    """Changes from old to new. old=None (no approved revision yet) gives no changes: the
    whole revision is new, and the page says so rather than listing every row as added."""
    if old is None:
        return []
    changes: list[Change] = []
    keys = [k for k in new if k != "schema"] + [k for k in old if k not in new and k != "schema"]
    for key in keys:
        changes.extend(_diff_part(key, old.get(key), new.get(key)))
    return changes


def _diff_part(part: str, old, new) -> list[Change]:
    if _is_rows(old) or _is_rows(new):
        return _diff_rows(part, _row_name(part), old or [], new or [])
    if isinstance(old, dict) or isinstance(new, dict):
        return _diff_fields(part, "", old or {}, new or {})
    if old != new:
        return [Change(part, "changed", _part_title(part), [(_part_title(part), _show(old), _show(new))])]
    return []


def _diff_fields(part: str, prefix: str, old: dict, new: dict) -> list[Change]:
    changes: list[Change] = []
    for key in list(new) + [k for k in old if k not in new]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if _is_rows(before) or _is_rows(after):
            changes.extend(_diff_rows(part, _row_name(key), before or [], after or []))
        elif isinstance(before, dict) or isinstance(after, dict):
            changes.extend(_diff_fields(part, _field_label(key, prefix), before or {}, after or {}))
        else:
            label = _field_label(key, prefix)
            changes.append(Change(part, "changed", label, [(label, _show(before), _show(after))]))
    return changes


def _diff_rows(part: str, name: str, old: list, new: list) -> list[Change]:
    old_by_id = {row.get("id"): row for row in old if isinstance(row, dict)}
    new_by_id = {row.get("id"): row for row in new if isinstance(row, dict)}
    changes: list[Change] = []
    for row_id, row in new_by_id.items():
        if row_id not in old_by_id:
            details = [(_humanise(k), "", _show(v)) for k, v in row.items() if k != "id" and v not in ("", None, [], {})]
            changes.append(Change(part, "added", f"{name}: {_row_label(row)}", details))
    for row_id, row in old_by_id.items():
        if row_id not in new_by_id:
            changes.append(Change(part, "removed", f"{name}: {_row_label(row)}", []))
    for row_id, row in new_by_id.items():
        before = old_by_id.get(row_id)
        if before is None or before == row:
            continue
        details = [
            (_humanise(k), _show(before.get(k)), _show(row.get(k)))
            for k in list(row) + [k for k in before if k not in row]
            if k != "id" and before.get(k) != row.get(k)
        ]
        label = _row_label(row)
        if _row_label(before) != label:
            label = f"{_row_label(before)} \u2192 {label}"
        changes.append(Change(part, "changed", f"{name}: {label}", details))
    return changes


# --- Text -----------------------------------------------------------------------------------

# A word with the whitespace before it, so spaces never match on their own and split a change.
_TOKEN = re.compile(r"\s*\S+|\s+$")


def is_long_text(before: str, after: str) -> bool:
    return any(len(v) > _TEXT_LIMIT or "\n" in v for v in (before or "", after or ""))


def word_diff(before: str, after: str, *, context: int | None = None) -> list[tuple[str, str]]:
    """[(op, text)] with op "same", "del" or "ins": a word-level diff a person can read,
    where a line-based diff would mark a whole paragraph for one changed word. With
    `context`, unchanged stretches keep that many words either side of a change and the
    rest becomes "…" (op "skip"), so one new sentence in a long narrative stands out."""
    a = _TOKEN.findall(before or "")
    b = _TOKEN.findall(after or "")
    segments: list[tuple[str, str]] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            segments.extend(_trim(a[i1:i2], context, first=index == 0, last=index == len(opcodes) - 1))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if removed.strip():
            segments.append(("del", removed))
        if added.strip():
            segments.append(("ins", added))
    return segments


def _trim(tokens: list[str], context: int | None, *, first: bool, last: bool) -> list[tuple[str, str]]:
    keep = context
    if keep is None or len(tokens) <= 2 * keep:
        return [("same", "".join(tokens))]
    head = [] if first else tokens[:keep]
    tail = [] if last else tokens[-keep:]
    out = []
    if head:
        out.append(("same", "".join(head)))
    out.append(("skip", "…"))
    if tail:
        out.append(("same", "".join(tail)))
    return out


# --- Labels and values ------------------------------------------------------------------------


def _is_rows(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) and "id" in r for r in value)


def _row_label(row: dict) -> str:
    for key in ("title", "description", "name"):
        if row.get(key):
            return str(row[key])
    return f"#{row.get('id')}"


def _row_name(key: str) -> str:
    return _ROW_NAMES.get(key) or _humanise(key[:-1] if key.endswith("s") else key)


def _part_title(part: str) -> str:
    registered = get_part(part)
    return registered.title if registered and registered.title else _humanise(part)


def _field_label(key: str, prefix: str) -> str:
    if prefix == "Narratives" and key in _SECTION_TITLES:
        return f"Narrative: {_SECTION_TITLES[key]}"
    label = _humanise(key)
    return f"{prefix}: {label}" if prefix else label


def _humanise(key: str) -> str:
    if key in _FIELD_NAMES:
        return _FIELD_NAMES[key]
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        return "; ".join(f"{_humanise(k)}: {_show(v)}" for k, v in value.items() if k != "id")
    return str(value)
