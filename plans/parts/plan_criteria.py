"""The plan part's evidence towards the assessor's criteria (plans.assessment.criteria):
its drivers, its own answers to question 1, its resources, the training schedule's care-hours
cover, and the narratives under the five headers. From a snapshot only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse

from oakview.core.formats import short_date
from plans.snapshot.care_hours import cover_from_snapshot, shortfall_days
from plans.snapshot.sections import SECTIONS, WORD_GUIDE
from plans.snapshot.text import word_count

from . import MET, PARTLY, Evidence, EvidenceItem

CRITERIA = (
    "q1.drivers",
    "q1.paper_risk",
    "q1.buy_in",
    "q2.resources",
    "q2.care_hours",
    "outcome.safety",
    "sub.headers",
    "sub.word_count",
)
# The guide asks for two drivers and three secured resources at least.
MIN_DRIVERS = 2
MIN_SECURED_RESOURCES = 3


def _clip(text: str, length: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _hours(value: Any) -> Decimal:
    try:
        return Decimal(str(value or "0"))
    except InvalidOperation:
        return Decimal("0")


def _plan_url(plan: dict[str, Any], anchor: str = "") -> str:
    if not plan.get("id"):
        return ""
    return reverse("plans:plan-detail", args=[plan["id"]]) + (f"#{anchor}" if anchor else "")


def _row_url(kind: str, row: dict[str, Any]) -> str:
    return reverse(f"plans:{kind}-edit", args=[row["id"]]) if row.get("id") else ""


def plan_criteria_evidence(snap: dict[str, Any]) -> list[Evidence]:
    plan = snap.get("plan") or {}
    found = [
        _drivers(plan),
        _paper_risk(plan),
        _field(plan, "q1.buy_in", "staff_message", "Message for resistant staff"),
        _field(plan, "outcome.safety", "safety_link", "Link to service-user safety"),
        _resources(plan),
        _care_hours(plan),
        _headers(plan),
        _word_count(plan),
    ]
    return [e for e in found if e is not None]


def _drivers(plan: dict[str, Any]) -> Evidence | None:
    drivers = plan.get("drivers") or []
    if not drivers:
        return None
    backed = [d for d in drivers if str(d.get("evidence") or "").strip()]
    items = tuple(
        EvidenceItem(
            f"{d.get('kind') or 'Driver'}: {_clip(d.get('description', ''))}"
            + (f" (evidence: {d.get('evidence_kind') or 'recorded'})" if d in backed else " (no evidence recorded)"),
            _row_url("driver", d),
        )
        for d in drivers
    )
    if len(backed) >= MIN_DRIVERS:
        return Evidence("q1.drivers", MET, items)
    return Evidence(
        "q1.drivers",
        PARTLY,
        items,
        to_complete=f"{len(backed)} of the {MIN_DRIVERS} drivers needed have evidence behind them: add the audit "
        "finding, incident or inspection report that shows each.",
    )


def _paper_risk(plan: dict[str, Any]) -> Evidence | None:
    current = str(plan.get("current_state") or "").strip()
    backed = [d for d in plan.get("drivers") or [] if str(d.get("evidence") or "").strip()]
    items = []
    if current:
        items.append(EvidenceItem(f"Current state: {_clip(current)}", _plan_url(plan, "section-need")))
    # The drivers that say what paper costs the service: its safety and its regulatory standing first.
    backed.sort(key=lambda d: d.get("kind") not in ("Safety", "Regulatory"))
    items += [EvidenceItem(f"Driver with evidence: {_clip(d.get('description', ''))}", _row_url("driver", d)) for d in backed[:3]]
    if not items:
        return None
    if current and backed:
        return Evidence("q1.paper_risk", MET, tuple(items))
    return Evidence(
        "q1.paper_risk",
        PARTLY,
        tuple(items),
        to_complete="Describe the current state on paper and back it with a driver's evidence, or link the passage "
        "that explains the risk.",
    )


def _field(plan: dict[str, Any], criterion: str, key: str, label: str) -> Evidence | None:
    text = str(plan.get(key) or "").strip()
    if not text:
        return None
    return Evidence(criterion, MET, (EvidenceItem(f"{label}: {_clip(text)}", _plan_url(plan, "section-need")),))


def _resources(plan: dict[str, Any]) -> Evidence | None:
    resources = plan.get("resources") or []
    if not resources:
        return None
    secured = [r for r in resources if r.get("secured")]
    items = tuple(
        EvidenceItem(
            f"{r.get('kind')}: {_clip(r.get('description', ''), 80)}, £{r.get('total_cost')}"
            + (" (secured)" if r.get("secured") else " (not yet secured)"),
            _row_url("resource", r),
        )
        for r in resources
    )
    if len(secured) >= MIN_SECURED_RESOURCES:
        return Evidence("q2.resources", MET, items, appendix="resources")
    return Evidence(
        "q2.resources",
        PARTLY,
        items,
        to_complete=f"{len(secured)} of the {MIN_SECURED_RESOURCES} resources are secured: secure the rest before "
        "submitting, or add more.",
        appendix="resources",
    )


def _care_hours(plan: dict[str, Any]) -> Evidence | None:
    sessions = plan.get("training") or []
    if not sessions:
        return None
    cover = cover_from_snapshot(plan)
    short = shortfall_days(cover)
    backfill = sum(1 for t in sessions if _hours(t.get("backfill_hours")) > 0)
    items = (
        EvidenceItem(
            f"{len(sessions)} training session{'s' if len(sessions) != 1 else ''} scheduled, {backfill} with backfill",
            _plan_url(plan, "section-planning"),
        ),
    )
    if not short:
        summary = EvidenceItem("Care-hours cover stays at or above the required level on every training day")
        return Evidence("q2.care_hours", MET, (*items, summary), appendix="training")
    days = ", ".join(short_date(d.day) for d in short[:5]) + (" and more" if len(short) > 5 else "")
    return Evidence(
        "q2.care_hours",
        PARTLY,
        items,
        to_complete=f"Care hours fall below the required level on {len(short)} day{'s' if len(short) != 1 else ''} "
        f"({days}): add backfill or move the sessions.",
        appendix="training",
    )


def _headers(plan: dict[str, Any]) -> Evidence | None:
    narratives = plan.get("narratives") or {}
    written = [s for s in SECTIONS if str(narratives.get(s.key) or "").strip()]
    if not written:
        return None
    items = tuple(EvidenceItem(f"{s.number} {s.title}", _plan_url(plan, s.anchor)) for s in written)
    if len(written) == len(SECTIONS):
        return Evidence("sub.headers", MET, items)
    empty = ", ".join(f"{s.number} {s.title}" for s in SECTIONS if s not in written)
    return Evidence("sub.headers", PARTLY, items, to_complete=f"No answer yet under: {empty}.")


def _word_count(plan: dict[str, Any]) -> Evidence | None:
    narratives = plan.get("narratives") or {}
    words = sum(word_count(str(narratives.get(s.key) or "")) for s in SECTIONS)
    if not words:
        return None
    low, high = WORD_GUIDE
    item = (EvidenceItem(f"{words:,} words in the five answers"),)
    if low <= words <= high:
        return Evidence("sub.word_count", MET, item)
    gap = f"{low - words:,} words below" if words < low else f"{words - high:,} words above"
    return Evidence("sub.word_count", PARTLY, item, to_complete=f"{gap} the guide of {low:,}–{high:,}.")
