"""The plan part's appendices: the training schedule with its care-hours cover, the action
plan, the budget, and the standards every part's rows refer to.

Each is built from the whole-revision snapshot only; the one database read is the shipped
standards reference data, to put titles beside the codes the snapshot keeps.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal, InvalidOperation
from typing import Any

from oakview.core.formats import parse_date, parse_datetime
from oakview.core.models import Standard
from plans.snapshot.care_hours import cover_from_snapshot, training_days
from plans.snapshot.charts import cover_chart_svg
from plans.snapshot.gantt import gantt_from_snapshot

from . import Appendix, registered_parts, rows_of

# Keys under which a part's rows carry standards codes.
STANDARD_KEYS = ("standards", "regulations", "quality_statements")
# The PDF's chart shows a month of training days at most; the table beside it has them all.
CHART_DAYS = 31


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return Decimal("0")


def training_appendix(plan: dict[str, Any]) -> Appendix:
    cover = cover_from_snapshot(plan)
    days = training_days(cover)
    sessions = []
    for t in plan.get("training", []):
        attendees = [a["name"] for a in t.get("attendees", [])]
        duration = _decimal(t.get("duration_hours"))
        sessions.append(
            {
                "title": t.get("title", ""),
                "starts_at": parse_datetime(t.get("starts_at")),
                "duration": duration,
                "trainer": t.get("trainer", ""),
                "attendees": attendees,
                "off_floor": duration * len(attendees),
                "backfill": _decimal(t.get("backfill_hours")),
            }
        )
    home = plan.get("home", {})
    return Appendix(
        key="training",
        title="Training schedule and care-hours cover",
        template="pdf/appendices/training.html",
        context={
            "sessions": sessions,
            "days": days,
            "short_days": [d for d in days if d.is_short],
            "required": home.get("required_care_hours_per_day"),
            "rostered": home.get("rostered_care_hours_per_day"),
            "chart": cover_chart_svg(days[:CHART_DAYS], chart_id="pdf-cover") if days else None,
        },
        section=2,
    )


def action_plan_appendix(plan: dict[str, Any]) -> Appendix:
    milestones = [{**m, "due_date_d": parse_date(m.get("due_date"))} for m in plan.get("milestones", [])]
    actions = [{**a, "due_date_d": parse_date(a.get("due_date"))} for a in plan.get("actions", [])]
    # The same Gantt as the overview's, from the frozen snapshot: full labels, reached milestones filled.
    chart = gantt_from_snapshot(plan, ident="pdf-timeline")
    return Appendix(
        key="actions",
        title="Action plan and timeline",
        template="pdf/appendices/actions.html",
        context={"milestones": milestones, "actions": actions, "chart": chart},
        section=2,
    )


def resources_appendix(plan: dict[str, Any]) -> Appendix:
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    secured = requested = Decimal("0")
    for r in plan.get("resources", []):
        total = _decimal(r.get("total_cost"))
        groups.setdefault(r.get("kind", ""), []).append({**r, "total": total})
        if r.get("secured"):
            secured += total
        else:
            requested += total
    return Appendix(
        key="resources",
        title="Resources and budget",
        template="pdf/appendices/resources.html",
        context={
            "groups": [
                {"kind": kind, "rows": rows, "subtotal": sum((r["total"] for r in rows), Decimal("0"))}
                for kind, rows in groups.items()
            ],
            "secured": secured,
            "requested": requested,
            "total": secured + requested,
        },
        section=2,
    )


def _row_label(row: dict[str, Any]) -> str:
    for key in ("title", "description", "name"):
        if row.get(key):
            text = str(row[key])
            return text if len(text) <= 90 else text[:89] + "…"
    return ""


def _codes(value: Any) -> list[str]:
    codes = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str):
            codes.append(item)
        elif isinstance(item, dict) and item.get("code"):
            codes.append(str(item["code"]))
    return codes


def tagged_standards(snap: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(code, where, section) for every standards tag on the rows of every part's row kinds."""
    found: list[tuple[str, str, int]] = []
    for part in registered_parts():
        for kind in part.row_kinds:
            section = kind.section or part.section or 0
            for row in rows_of(part, kind, snap):
                ref = row.get(kind.ref_key) if kind.ref_key else None
                where = f"{kind.singular} {ref}: {_row_label(row)}" if ref else f"{kind.singular}: {_row_label(row)}"
                for key in STANDARD_KEYS:
                    for code in _codes(row.get(key)):
                        found.append((code, where.rstrip(": "), section))
    return found


def standards_appendix(snap: dict[str, Any]) -> Appendix:
    tags = tagged_standards(snap)
    codes = sorted({code for code, _, _ in tags})
    reference: dict[str, Standard] = {}
    # A code can exist in several framework versions; the current one names it.
    for standard in Standard.objects.filter(code__in=codes).select_related("framework").order_by("framework__current", "order"):
        reference[standard.code] = standard
    rows: dict[str, dict[str, Any]] = {}
    for code, where, section in tags:
        std = reference.get(code)
        row = rows.setdefault(
            code,
            {
                "code": code,
                "title": std.title if std else "(not in the shipped reference data)",
                "framework": std.framework.name if std else "",
                "sort": (std.framework.name, std.order, code) if std else ("~", 0, code),
                "where": [],
            },
        )
        entry = {"where": where, "section": section}
        if entry not in row["where"]:
            row["where"].append(entry)
    ordered = sorted(rows.values(), key=lambda r: r["sort"])
    return Appendix(
        key="standards",
        title="Standards referenced",
        template="pdf/appendices/standards.html",
        context={"standards": ordered},
        section=0,
    )


def plan_appendices(snap: dict[str, Any]) -> list[Appendix]:
    plan = snap.get("plan") or {}
    return [
        training_appendix(plan),
        action_plan_appendix(plan),
        resources_appendix(plan),
        standards_appendix(snap),
    ]
