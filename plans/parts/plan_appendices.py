"""The plan part's appendices: the training schedule with its care-hours cover, the action
plan, the budget, and the standards every part's rows refer to.

Each is built from the whole-revision snapshot only; the one database read is the shipped
standards reference data, to put titles beside the codes the snapshot keeps.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from oakview.core.formats import parse_date, parse_datetime
from oakview.core.models import Standard
from oakview.core.reference import CITATIONS
from plans.snapshot.care_hours import cover_from_snapshot, training_days
from plans.snapshot.charts import cover_chart_svg, timeline_chart

from . import Appendix, registered_parts, rows_of

# The appendices this part contributes (PlanPart.appendix_titles): key -> title.
APPENDIX_TITLES = {
    "training": "Training schedule and care-hours cover",
    "actions": "Action plan and timeline",
    "resources": "Resources and budget",
    "standards": "Standards coverage",
}
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
        title=APPENDIX_TITLES["training"],
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
    # Not the overview's Gantt (760 px with 11 px text: 7.1 pt once fitted to A4): the print
    # timeline is drawn at the page's width, full labels, named milestones, nothing under 9 pt.
    chart = timeline_chart(
        start=parse_date(plan.get("start_date")),
        go_live=parse_date(plan.get("go_live_date")),
        end=parse_date(plan.get("end_date")),
        milestones=milestones,
        actions=actions,
    )
    return Appendix(
        key="actions",
        title=APPENDIX_TITLES["actions"],
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
        title=APPENDIX_TITLES["resources"],
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


@dataclass(frozen=True)
class Tag:
    """One standards tag on one row of any part: the code and what carries it."""

    code: str
    kind: str  # the row kind's singular: "Driver", "Action", "Risk", "KPI"
    label: str  # "R1: System outage on go-live day"
    section: int
    has_ref: bool = False

    @property
    def where(self) -> str:
        """ "Risk R1: System outage", "Driver: Care records not updated"."""
        return f"{self.kind} {self.label}" if self.has_ref else f"{self.kind}: {self.label}"


def tags_in(snap: dict[str, Any]) -> list[Tag]:
    """Every standards tag on the rows of every part's row kinds, in part and row order."""
    found: list[Tag] = []
    for part in registered_parts():
        for kind in part.row_kinds:
            section = kind.section or part.section or 0
            for row in rows_of(part, kind, snap):
                ref = row.get(kind.ref_key) if kind.ref_key else None
                label = f"{ref}: {_row_label(row)}" if ref else _row_label(row)
                for key in STANDARD_KEYS:
                    for code in _codes(row.get(key)):
                        found.append(Tag(code, kind.singular, label.rstrip(": "), section, bool(ref)))
    return found


def tagged_standards(snap: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(code, where, section) for every standards tag: "Driver: Care records not updated"."""
    return [(t.code, t.where, t.section) for t in tags_in(snap)]


def _reference(codes: set[str]) -> dict[str, Standard]:
    reference: dict[str, Standard] = {}
    # A code can exist in several framework versions; the current one names it.
    for standard in Standard.objects.filter(code__in=codes).select_related("framework").order_by("framework__current", "order"):
        reference[standard.code] = standard
    return reference


def standards_appendix(snap: dict[str, Any]) -> Appendix:
    """Standards coverage: for each regulation, quality statement or standard tagged anywhere,
    which drivers, actions, risks, KPIs (any part's rows) address it."""
    tags = tags_in(snap)
    reference = _reference({t.code for t in tags})
    rows: dict[str, dict[str, Any]] = {}
    for tag in tags:
        std = reference.get(tag.code)
        row = rows.setdefault(
            tag.code,
            {
                "code": tag.code,
                "title": std.title if std else "(not in the shipped reference data)",
                "framework": std.framework.name if std else "",
                "sort": (std.framework.name, std.order, tag.code) if std else ("~", 0, tag.code),
                "groups": {},
                "where": [],
            },
        )
        entries = row["groups"].setdefault(tag.kind, [])
        if tag.label not in entries:
            entries.append(tag.label)
            row["where"].append({"where": tag.where, "section": tag.section})
    ordered = sorted(rows.values(), key=lambda r: r["sort"])
    for row in ordered:
        row["groups"] = [{"kind": kind, "items": items} for kind, items in row["groups"].items()]
    kinds = list(dict.fromkeys(t.kind for t in tags))
    return Appendix(
        key="standards",
        title=APPENDIX_TITLES["standards"],
        template="pdf/appendices/standards.html",
        context={"standards": ordered, "kinds": kinds},
        section=0,
    )


def references_list(snap: dict[str, Any]) -> list[dict[str, Any]]:
    """The frameworks the revision's tags come from, each with its full citation and the
    items of it that are cited, for the document's references list."""
    tags = tags_in(snap)
    reference = _reference({t.code for t in tags})
    frameworks: dict[str, dict[str, Any]] = {}
    for code in dict.fromkeys(t.code for t in tags):
        std = reference.get(code)
        if std is None:
            continue
        fw = std.framework
        entry = frameworks.setdefault(
            fw.code,
            {"short": fw.name, "full": CITATIONS.get(fw.code, fw.description or fw.name), "items": [], "order": []},
        )
        entry["items"].append((std.order, f"{std.code} {std.title}"))
    out = []
    for entry in frameworks.values():
        entry["items"] = [text for _, text in sorted(entry["items"])]
        out.append(entry)
    return sorted(out, key=lambda e: e["short"])


def plan_appendices(snap: dict[str, Any]) -> list[Appendix]:
    plan = snap.get("plan") or {}
    return [
        training_appendix(plan),
        action_plan_appendix(plan),
        resources_appendix(plan),
        standards_appendix(snap),
    ]
