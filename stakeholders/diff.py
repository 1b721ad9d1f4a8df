"""This part's lines of the review diff, from its snapshot in two revisions: pure data in,
plans.parts.Change out.

The generic diff would list every key of every row; an approver needs less and in words.
Rows are named by their row kind; stance changes and ADKAR pulses, which are history, are
named by who and when, and said only when added (a stakeholder removed takes its history
with it, and that removal is the line; a new stakeholder's first stance is in its own line). Internal keys (ids, the snapshot's version) are not
shown, and a communication item whose only change is that it was sent and is due again is
the plan being run, not a change to it.
"""

from __future__ import annotations

from typing import Any

from plans.parts import Change, Column, RowKind, field_label, format_value

from . import snapshot

HIDDEN = frozenset({"id", "stakeholder_id"})
ROUTINE = {"communications": frozenset({"last_sent", "next_due"})}
HISTORY = frozenset({"stance_changes", "pulses"})
TITLE_LIMIT = 90


def diff(part: str, kinds: tuple[RowKind, ...], labels: dict[str, str], old: Any, new: Any) -> list[Change]:
    before, after = snapshot.read_part(old), snapshot.read_part(new)
    if before is None and after is None:
        return []
    before = before or dict.fromkeys(snapshot.ROW_KEYS, [])
    after = after or dict.fromkeys(snapshot.ROW_KEYS, [])
    changes: list[Change] = []
    for kind in kinds:
        changes.extend(_rows(part, kind, labels, before.get(kind.key, []), after.get(kind.key, []), before["stakeholders"]))
    return changes


def _rows(
    part: str, kind: RowKind, labels: dict[str, str], old: list[dict], new: list[dict], before_stakeholders: list[dict]
) -> list[Change]:
    old_by_id = {r.get("id"): r for r in old}
    new_by_id = {r.get("id"): r for r in new}
    formats = {c.key: c for c in kind.columns}
    # A new stakeholder's first stance is in its own "added" line.
    known = {r.get("id") for r in before_stakeholders}
    changes = [
        Change(part, "added", _title(kind, row), _added_details(kind, labels, formats, row))
        for row_id, row in new_by_id.items()
        if row_id not in old_by_id and (kind.key != "stance_changes" or row.get("stakeholder_id") in known)
    ]
    if kind.key not in HISTORY:
        changes += [Change(part, "removed", _title(kind, row)) for row_id, row in old_by_id.items() if row_id not in new_by_id]
    ignored = HIDDEN | ROUTINE.get(kind.key, frozenset())
    for row_id, row in new_by_id.items():
        was = old_by_id.get(row_id)
        if was is None:
            continue
        keys = [k for k in list(row) + [k for k in was if k not in row] if k not in ignored and was.get(k) != row.get(k)]
        if keys:
            details = [(_label(labels, formats, k), _show(formats, k, was.get(k)), _show(formats, k, row.get(k))) for k in keys]
            title = _title(kind, row)
            if kind.label(was) != kind.label(row):
                title = f"{kind.singular}: {_short(kind.label(was))} → {_short(kind.label(row))}"
            changes.append(Change(part, "changed", title, details))
    return changes


def _title(kind: RowKind, row: dict) -> str:
    if kind.key == "stance_changes":
        return f"Stance change: {row.get('stakeholder')}, {row.get('stance')} from {format_value(row.get('date'), 'date')}"
    if kind.key == "pulses":
        return f"ADKAR pulse: {row.get('stakeholder')}, {format_value(row.get('date'), 'date')}"
    return f"{kind.singular}: {_short(kind.label(row))}"


def _added_details(kind: RowKind, labels: dict[str, str], formats: dict[str, Column], row: dict) -> list[tuple[str, str, str]]:
    # What the table on the revision page shows of the row, less what its title already says.
    named = {"stance_changes": {"stakeholder", "stance", "date"}, "pulses": {"stakeholder", "date"}}.get(kind.key)
    if named is None:  # the field that names the row, unless the title had to shorten it
        key = next((k for k in kind.label_keys if row.get(k)), "")
        named = {key} if len(str(row.get(key, ""))) <= TITLE_LIMIT else set()
    keys = [c.key for c in kind.columns if c.key not in named] if kind.columns else [k for k in row if k not in HIDDEN]
    return [(_label(labels, formats, k), "", text) for k in keys if (text := _show(formats, k, row.get(k)))]


def _label(labels: dict[str, str], formats: dict[str, Column], key: str) -> str:
    # The part's word for the field, else its column's heading in this row kind's table.
    column = formats.get(key)
    return labels.get(key) or (column.label if column is not None else field_label(labels, key))


def _show(formats: dict[str, Column], key: str, value: Any) -> str:
    column = formats.get(key)
    return column.display(value) if column is not None else format_value(value, "auto", key)


def _short(text: str) -> str:
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1].rstrip() + "…"
