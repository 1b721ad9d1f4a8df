"""What changed between two revision snapshots, for the review page.

A pure function of two snapshots (plans.parts.build_snapshot output): no database, no
models, so it diffs a revision frozen years ago under an older schema exactly as it did
then. It knows nothing of particular parts: any part whose snapshot is a dict of fields
and lists of rows, or a list of rows, diffs without touching this module. Rows are dicts
with an "id". The words come from the parts: a row is named by its part's row kind
("Risk R3: System outage"), a field by the part's field_labels; a part that is no longer
installed still diffs, with names made from its keys.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from plans.parts import Change, RowKind, field_label, get_part, humanise, row_kind, show

from .sections import SECTIONS

_SECTION_TITLES = {s.key: f"{s.number}. {s.title}" for s in SECTIONS}
_TEXT_LIMIT = 120  # longer values, or any with a line break, get a word-level diff


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """Changes from old to new. old=None (no approved revision yet) gives no changes: the
    whole revision is new, and the page says so rather than listing every row as added."""
    if old is None:
        return []
    changes: list[Change] = []
    keys = [k for k in new if k != "schema"] + [k for k in old if k not in new and k != "schema"]
    for key in keys:
        changes.extend(_diff_part(key, old.get(key), new.get(key)))
    return changes


def _diff_part(part: str, old: Any, new: Any) -> list[Change]:
    registered = get_part(part)
    own = registered.diff(old, new) if registered is not None else None
    if own is not None:
        return own  # the part words its own changes (e.g. measurements are not approval content)
    labels = _labels(part)
    if _is_rows(old) or _is_rows(new):
        return _diff_rows(part, _kind(part, part), labels, old or [], new or [])
    if isinstance(old, dict) or isinstance(new, dict):
        return _diff_fields(part, labels, "", old or {}, new or {})
    if old != new:
        title = _part_title(part)
        return [Change(part, "changed", title, [(title, show(old), show(new))])]
    return []


def _diff_fields(part: str, labels: Mapping[str, str], prefix: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for key in list(new) + [k for k in old if k not in new]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if _is_rows(before) or _is_rows(after):
            changes.extend(_diff_rows(part, _kind(part, key), labels, before or [], after or []))
        elif isinstance(before, dict) or isinstance(after, dict):
            changes.extend(_diff_fields(part, labels, _field_label(labels, key, prefix), before or {}, after or {}))
        else:
            label = _field_label(labels, key, prefix)
            changes.append(Change(part, "changed", label, [(label, show(before), show(after))]))
    return changes


def _diff_rows(part: str, kind: RowKind, labels: Mapping[str, str], old: list[Any], new: list[Any]) -> list[Change]:
    old_by_id = {row.get("id"): row for row in old if isinstance(row, dict)}
    new_by_id = {row.get("id"): row for row in new if isinstance(row, dict)}
    changes: list[Change] = []
    for row_id, row in new_by_id.items():
        if row_id not in old_by_id:
            details = [(field_label(labels, k), "", show(v)) for k, v in row.items() if k != "id" and v not in ("", None, [], {})]
            changes.append(Change(part, "added", _row_title(kind, row), details))
    for row_id, row in old_by_id.items():
        if row_id not in new_by_id:
            changes.append(Change(part, "removed", _row_title(kind, row), []))
    for row_id, row in new_by_id.items():
        before = old_by_id.get(row_id)
        if before is None or before == row:
            continue
        details = [
            (field_label(labels, k), show(before.get(k)), show(row.get(k)))
            for k in list(row) + [k for k in before if k not in row]
            if k != "id" and before.get(k) != row.get(k)
        ]
        title = _row_title(kind, row)
        if kind.label(before) != kind.label(row):
            title = _row_title(kind, row, renamed_from=kind.label(before))
        changes.append(Change(part, "changed", title, details))
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


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) and "id" in r for r in value)


def _kind(part: str, rows_key: str) -> RowKind:
    """The part's declared row kind, or one made from the key (a part no longer installed)."""
    declared = row_kind(part, rows_key)
    if declared is not None:
        return declared
    singular = rows_key[:-1] if rows_key.endswith("s") else rows_key
    return RowKind(rows_key, humanise(singular), humanise(rows_key))


def _row_title(kind: RowKind, row: dict[str, Any], *, renamed_from: str = "") -> str:
    """ "Driver: Missed entries", "Risk R3: System outage"; a renamed row shows both names."""
    label = kind.label(row)
    if renamed_from:
        label = f"{renamed_from} \u2192 {label}"
    has_ref = bool(kind.ref_key and row.get(kind.ref_key))
    return f"{kind.singular} {label}" if has_ref else f"{kind.singular}: {label}"


def _labels(part: str) -> Mapping[str, str]:
    registered = get_part(part)
    return registered.field_labels if registered is not None else {}


def _part_title(part: str) -> str:
    registered = get_part(part)
    return registered.title if registered and registered.title else humanise(part)


def _field_label(labels: Mapping[str, str], key: str, prefix: str) -> str:
    if prefix == "Narratives" and key in _SECTION_TITLES:
        return f"Narrative: {_SECTION_TITLES[key]}"
    label = field_label(labels, key)
    return f"{prefix}: {label}" if prefix else label
