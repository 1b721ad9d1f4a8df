"""This part's lines of the review diff: pure data in, plans.parts.Change out.

KPIs, evidence, reviews and benefit lines are named rows (added, removed, changed with the
fields that changed). Measurements are history: a line per KPI saying how many readings were
added, rather than one line per reading. The benefits case is one row."""

from __future__ import annotations

from typing import Any

from plans.parts import Change, RowKind, field_label, format_value

from . import snapshot

HIDDEN = frozenset({"id", "kpi_id", "kind_key", "findings"})


def diff(part: str, kinds: tuple[RowKind, ...], labels: dict[str, str], old: Any, new: Any) -> list[Change]:
    before, after = snapshot.read_part(old), snapshot.read_part(new)
    if before is None and after is None:
        return []
    empty: dict[str, Any] = {**dict.fromkeys(snapshot.ROW_KEYS, []), "benefits": None}
    before, after = before or empty, after or empty
    changes: list[Change] = []
    by_key = {k.key: k for k in kinds}
    for key in ("kpis", "evidence", "reviews", "benefit_lines"):
        changes.extend(_rows(part, by_key[key], labels, before[key], after[key]))
    changes.extend(_measurements(part, before, after))
    changes.extend(_case(part, labels, before["benefits"], after["benefits"]))
    return changes


def _show(key: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return format_value(value, "auto", key)


def _rows(part: str, kind: RowKind, labels: dict[str, str], old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    old_by_id = {r.get("id"): r for r in old}
    new_by_id = {r.get("id"): r for r in new}
    changes = []
    for row_id, row in new_by_id.items():
        if row_id not in old_by_id:
            details = [(field_label(labels, k), "", text) for k in kind_columns(kind, row) if (text := _show(k, row.get(k)))]
            changes.append(Change(part, "added", f"{kind.singular}: {kind.label(row)}", details))
    for row_id, row in old_by_id.items():
        if row_id not in new_by_id:
            changes.append(Change(part, "removed", f"{kind.singular}: {kind.label(row)}"))
    for row_id, row in new_by_id.items():
        was = old_by_id.get(row_id)
        if was is None:
            continue
        keys = [k for k in dict.fromkeys([*row, *was]) if k not in HIDDEN and was.get(k) != row.get(k)]
        if keys:
            details = [(field_label(labels, k), _show(k, was.get(k)), _show(k, row.get(k))) for k in keys]
            changes.append(Change(part, "changed", f"{kind.singular}: {kind.label(row)}", details))
    return changes


def kind_columns(kind: RowKind, row: dict[str, Any]) -> list[str]:
    named = next((k for k in kind.label_keys if row.get(k)), "")
    keys = [c.key for c in kind.columns] if kind.columns else list(row)
    return [k for k in keys if k not in HIDDEN and k != named]


def _measurements(part: str, before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    def keyed(rows: list[dict[str, Any]]) -> dict[tuple[Any, Any], dict[str, Any]]:
        return {(r.get("kpi_id"), r.get("date")): r for r in rows}

    old, new = keyed(before["measurements"]), keyed(after["measurements"])
    names = {k.get("id"): k.get("name") for k in [*before["kpis"], *after["kpis"]]}
    known = {k.get("id") for k in after["kpis"]}
    per_kpi: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for key, row in new.items():
        was = old.get(key)
        if was is None:
            per_kpi.setdefault(key[0], {"added": [], "changed": []})["added"].append(row)
        elif was.get("value") != row.get("value"):
            per_kpi.setdefault(key[0], {"added": [], "changed": []})["changed"].append(row)
    changes = []
    for kpi_id, found in per_kpi.items():
        if kpi_id not in known:
            continue
        added, corrected = found["added"], found["changed"]
        details = []
        if added:
            latest = max(added, key=lambda r: str(r.get("date")))
            details.append(
                (
                    "Readings added",
                    "",
                    f"{len(added)}, latest {latest.get('value')} on {format_value(latest.get('date'), 'date')}",
                )
            )
        if corrected:
            details += [
                (
                    f"Reading of {format_value(r.get('date'), 'date')}",
                    str(old[(kpi_id, r.get("date"))].get("value")),
                    str(r.get("value")),
                )
                for r in corrected
            ]
        changes.append(Change(part, "changed", f"Measurements: {names.get(kpi_id)}", details))
    return changes


def _case(part: str, labels: dict[str, str], old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    if old == new:
        return []
    if old is None:
        assert new is not None
        return [
            Change(
                part,
                "added",
                "Benefits case",
                [(field_label(labels, k), "", _show(k, v)) for k, v in new.items() if v not in (None, "")],
            )
        ]
    if new is None:
        return [Change(part, "removed", "Benefits case")]
    keys = [k for k in dict.fromkeys([*new, *old]) if old.get(k) != new.get(k)]
    return [
        Change(
            part, "changed", "Benefits case", [(field_label(labels, k), _show(k, old.get(k)), _show(k, new.get(k))) for k in keys]
        )
    ]
