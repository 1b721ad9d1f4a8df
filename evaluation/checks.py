"""What the evaluation asks of a plan: before it goes to the approver (readiness), before it
closes (a final decision), and what counts as a departure from the approved revision (drift).
Readiness and drift read snapshots: the same plain data the revision keeps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from plans.models import Plan
from plans.parts import Drift, Problem

from . import rules, snapshot
from .models import KPI, Review

PART = "evaluation"


def join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- Readiness -------------------------------------------------------------------------------


def readiness(plan: Plan) -> list[Problem]:
    part = snapshot.read_part(snapshot.build(plan))
    assert part is not None
    return readiness_of(plan.pk, part)


def readiness_of(plan_id: int, part: dict[str, Any]) -> list[Problem]:
    """The framework an assessor looks for: at least one quantitative and one qualitative
    KPI; both technical success and cultural adaptation measured; every KPI with a baseline,
    a target, a data source and an owner. The benefits case is advised, not required."""
    dashboard = reverse("evaluation:dashboard", args=[plan_id])
    kpis = part["kpis"]
    if not kpis:
        return [
            Problem(
                PART,
                "Say how you will know the change worked: add KPIs, at least one you count and one from what people tell you.",
                f"{dashboard}#kpis",
            )
        ]
    problems = []
    kinds = {k.get("kind") for k in kpis}
    if KPI.Kind.QUANTITATIVE.label not in kinds:
        problems.append(
            Problem(
                PART,
                "Add a quantitative KPI: a number you can count, such as notes recorded within an hour.",
                f"{dashboard}#kpis",
            )
        )
    if KPI.Kind.QUALITATIVE.label not in kinds:
        problems.append(
            Problem(
                PART,
                "Add a qualitative KPI: what staff, residents or families tell you, such as staff confidence.",
                f"{dashboard}#kpis",
            )
        )
    dims = {k.get("dimension") for k in kpis}
    missing_dims = [d.label.lower() for d in (KPI.Dimension.TECHNICAL, KPI.Dimension.CULTURAL) if d.label not in dims]
    if missing_dims:
        problems.append(
            Problem(
                PART,
                f"No KPI measures {join(missing_dims)}: the evaluation should show both whether the system works and whether people have taken to it.",
                f"{dashboard}#kpis",
            )
        )
    for kpi in kpis:
        missing = []
        if kpi.get("baseline") is None:
            missing.append("a baseline")
        if kpi.get("target") is None:
            missing.append("a target")
        if not (kpi.get("data_source") or kpi.get("series")):
            missing.append("a data source")
        if not kpi.get("owner"):
            missing.append("an owner")
        if missing:
            problems.append(
                Problem(
                    PART,
                    f"KPI “{kpi.get('name')}” needs {join(missing)}: without {'it' if len(missing) == 1 else 'them'} progress cannot be judged.",
                    reverse("evaluation:kpi-edit", args=[kpi.get("id")]),
                )
            )
    if part["benefits"] is None:
        problems.append(
            Problem(
                PART,
                "Add the benefits case: the time given back to residents and the costs avoided, set against the plan's cost.",
                reverse("evaluation:benefits", args=[plan_id]),
                blocking=False,
            )
        )
    return problems


# --- Closing -----------------------------------------------------------------------------------


def final_decision(plan: Plan) -> Review | None:
    return Review.objects.filter(plan=plan, kind=Review.Kind.FINAL).exclude(decision="").order_by("-held_on", "-id").first()


def close_problems(plan: Plan) -> list[Problem]:
    if final_decision(plan) is not None:
        return []
    return [
        Problem(
            PART,
            "Record the three-month evaluation's decision (embed, adjust, extend or revert) with its reasons before closing the plan.",
            reverse("evaluation:reviews", args=[plan.pk]),
        )
    ]


# --- Drift -----------------------------------------------------------------------------------


def drift(approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
    """Material: a KPI in the approved framework that has gone, or whose target now asks
    less than the approved one (lower where higher is better, and the other way), or is due
    later. A new KPI is worth saying but changes nothing the approver relied on."""
    before, after = snapshot.read(approved), snapshot.read(live)
    if before is None or after is None:
        return []
    go_live = None
    live_by_id = {k.get("id"): k for k in after["kpis"]}
    found: list[Drift] = []
    for kpi in before["kpis"]:
        now = live_by_id.get(kpi.get("id"))
        name = kpi.get("name")
        if now is None:
            found.append(Drift(PART, f"KPI “{name}” was in the approved evaluation and has been removed."))
            continue
        then_terms, now_terms = snapshot.terms_of(kpi, go_live), snapshot.terms_of(now, go_live)
        if rules.lowered(then_terms, now_terms):
            found.append(
                Drift(
                    PART,
                    f"KPI “{name}”: target lowered from {rules.plain(then_terms.target)} to {rules.plain(now_terms.target)} {kpi.get('unit', '')} since approval".rstrip(),
                )
            )
        if then_terms.target_date and now_terms.target_date and now_terms.target_date > then_terms.target_date:
            found.append(Drift(PART, f"KPI “{name}”: target date moved later than approved"))
    approved_ids = {k.get("id") for k in before["kpis"]}
    for kpi in after["kpis"]:
        if kpi.get("id") not in approved_ids:
            found.append(Drift(PART, f"New since approval: KPI “{kpi.get('name')}”.", material=False))
    return found
