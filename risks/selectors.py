"""Reads for the risk pages, with their query counts fixed whatever the register's size."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch

from oakview.core.access import role_in
from oakview.core.models import Role
from plans.access import capabilities, get_plan_for_user, get_row_for_user
from plans.models import Plan

from . import matrix
from .models import Risk, RiskReview

# Staff and viewers see a plan's register once it has been approved: a draft register is
# the manager's working paper, and an inspector reads what was agreed.
READABLE_BY_EVERYONE = frozenset({Plan.Status.APPROVED, Plan.Status.IN_PROGRESS, Plan.Status.EVALUATING, Plan.Status.CLOSED})
ALWAYS_READ_ROLES = frozenset({Role.MANAGER, Role.APPROVER})


def can_read_register(role: str | None, plan: Plan) -> bool:
    if role is None:
        return False
    return role in ALWAYS_READ_ROLES or plan.status in READABLE_BY_EVERYONE


def get_register_plan(user, plan_id: int, *, write: bool = False) -> Plan:
    """The plan whose register the user may see (404 outside their homes, 403 for a staff
    member or viewer before approval, 403 on writes for anyone but the manager)."""
    plan = get_plan_for_user(user, plan_id, write=write)
    if not can_read_register(plan.viewer_role, plan):
        raise PermissionDenied("The risk register is shared with staff and viewers once the plan is approved.")
    return plan


def get_risk_for_user(user, pk: int, *, write: bool = False) -> Risk:
    risk = get_row_for_user(user, Risk, pk, write=write)
    role = role_in(user, risk.plan.home_id)
    if not can_read_register(role, risk.plan):
        raise PermissionDenied("The risk register is shared with staff and viewers once the plan is approved.")
    risk.plan.viewer_role = role
    risk.plan.perms = capabilities(role, risk.plan)
    return risk


def register_rows(plan: Plan, filters: dict, *, today: dt.date):
    """The register's risks, filtered and sorted. One query for the risks with their owners,
    one for all their reviews, one for all their standards."""
    qs = (
        Risk.objects.filter(plan=plan)
        .with_scores()
        .select_related("owner")
        .prefetch_related(
            Prefetch("reviews", queryset=RiskReview.objects.select_related("reviewer")),
            "standards",
        )
    )
    if band := filters.get("band"):
        low, high = matrix.band_range(band)
        qs = qs.filter(inherent_score_db__range=(low, high))  # type: ignore[misc]  # annotated by with_scores()
    if phase := filters.get("phase"):
        qs = qs.filter(phase=phase)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if owner := filters.get("owner"):
        qs = qs.filter(owner_id=owner)
    if filters.get("review") == "overdue":
        qs = qs.overdue(today)
    if cell := filters.get("cell"):
        basis, likelihood, impact = cell.split("-")
        qs = qs.filter(**{f"{basis}_likelihood": int(likelihood), f"{basis}_impact": int(impact)})
    sort = filters.get("sort") or "-inherent"
    orders: dict[str, list[Any]] = {
        "-inherent": [F("inherent_score_db").desc(), F("residual_score_db").desc(), "number"],
        "-residual": [F("residual_score_db").desc(), F("inherent_score_db").desc(), "number"],
        "inherent": [F("inherent_score_db").asc(), "number"],
        "ref": ["number"],
    }
    risks: list[Any] = list(qs.order_by(*orders[sort]))
    for risk in risks:
        # Prefetched: no query per risk.
        risk.review_list = list(risk.reviews.all())
        risk.trend = trend(risk)
        risk.overdue = risk.is_overdue(today)
    return risks


def trend(risk: Risk) -> dict:
    """The review history as scores oldest to newest, starting from the inherent score, and
    which way the latest review moved it."""
    scores = [risk.inherent_score] + [r.score for r in getattr(risk, "review_list", risk.reviews.all())]
    if len(scores) < 2:
        return {"scores": scores, "direction": "", "text": "Not reviewed yet"}
    last, before = scores[-1], scores[-2]
    direction = "down" if last < before else "up" if last > before else "steady"
    text = {"down": "Falling", "up": "Rising", "steady": "Steady"}[direction]
    return {"scores": scores, "direction": direction, "text": text}


@dataclass(frozen=True)
class HeatCounts:
    inherent: dict[tuple[int, int], int]
    residual: dict[tuple[int, int], int]


def heat_counts(plan: Plan) -> HeatCounts:
    """Counts per (likelihood, impact) cell, whole register. Two GROUP BY queries."""
    base = Risk.objects.filter(plan=plan).order_by()
    inherent = {
        (row["inherent_likelihood"], row["inherent_impact"]): row["n"]
        for row in base.values("inherent_likelihood", "inherent_impact").annotate(n=Count("id"))
    }
    residual = {
        (row["residual_likelihood"], row["residual_impact"]): row["n"]
        for row in base.values("residual_likelihood", "residual_impact").annotate(n=Count("id"))
    }
    return HeatCounts(inherent=inherent, residual=residual)


def heat_counts_from_rows(rows: list[dict]) -> HeatCounts:
    """The same counts from snapshot rows, for the PDF and the review page."""
    inherent = Counter((r["inherent_likelihood"], r["inherent_impact"]) for r in rows)
    residual = Counter((r["residual_likelihood"], r["residual_impact"]) for r in rows)
    return HeatCounts(inherent=dict(inherent), residual=dict(residual))


def band_summary(plan: Plan, *, today: dt.date) -> dict[str, Any]:
    """Counts per band before and after mitigation, and reviews overdue: three small queries."""
    counts = heat_counts(plan)
    by_band: dict[str, dict[str, Any]] = {b.key: {"band": b, "inherent": 0, "residual": 0} for b in matrix.BANDS}
    for (likelihood, impact), n in counts.inherent.items():
        by_band[matrix.band_of(likelihood, impact).key]["inherent"] += n
    for (likelihood, impact), n in counts.residual.items():
        by_band[matrix.band_of(likelihood, impact).key]["residual"] += n
    total = sum(counts.inherent.values())
    return {
        "bands": list(by_band.values()),
        "total": total,
        "overdue": Risk.objects.filter(plan=plan).overdue(today).count(),
    }
