"""Changes to a plan's risk register. Views and the demo call these; the rules live here."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oakview.core.audit import audit_record
from oakview.core.formats import short_date
from oakview.core.locking import save_versioned
from oakview.core.models import Membership
from plans.models import Plan
from plans.services import PlanLocked  # one lock rule and one message for every part of a plan

from .models import Risk, RiskReview


def _guard_editable(plan: Plan) -> None:
    if not plan.can_edit_content():
        raise PlanLocked(plan)


def _check_owner(plan: Plan, owner) -> None:
    # The form offers only the home's members; this also stops a crafted POST or a script.
    if owner is not None and not Membership.objects.filter(home_id=plan.home_id, user=owner).exists():
        raise ValidationError({"owner": f"The owner must be a member of {plan.home.name}."})


def _locked_plan(plan_id: int) -> Plan:
    # The row lock serialises two managers adding risks at once, so numbers stay unique.
    return Plan.objects.select_for_update().select_related("home").get(pk=plan_id)


@transaction.atomic
def risk_create(*, plan_id: int, by, data: dict, standards=()) -> Risk:
    plan = _locked_plan(plan_id)
    _guard_editable(plan)
    _check_owner(plan, data.get("owner"))
    # Numbers are never reused, so "R3" in an approved revision never means a different risk
    # later: the history table still holds deleted risks' numbers.
    number = (
        max(
            Risk.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0,
            Risk.history.filter(plan_id=plan.pk).aggregate(n=Max("number"))["n"] or 0,
        )
        + 1
    )
    risk = Risk(plan=plan, number=number, **data)
    risk.full_clean(exclude=["plan", "number"])
    risk.save()
    risk.standards.set(standards)
    audit_record(
        home_id=plan.home_id, actor=by, action="risk.created", summary=f"Added risk {risk.ref} '{risk.title}'", target=risk
    )
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by, data: dict, expected_version: int, standards=None) -> Risk:
    """Raises oakview.core.locking.StaleEdit when someone saved the risk since the form loaded."""
    plan = _locked_plan(risk.plan_id)
    _guard_editable(plan)
    _check_owner(plan, data.get("owner", risk.owner))
    for name, value in data.items():
        setattr(risk, name, value)
    risk.full_clean(exclude=["plan", "number"])
    save_versioned(risk, expected_version=expected_version)
    if standards is not None:
        risk.standards.set(standards)
    audit_record(
        home_id=plan.home_id, actor=by, action="risk.updated", summary=f"Changed risk {risk.ref} '{risk.title}'", target=risk
    )
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, by) -> None:
    plan = _locked_plan(risk.plan_id)
    _guard_editable(plan)
    audit_record(
        home_id=plan.home_id,
        actor=by,
        action="risk.deleted",
        summary=f"Deleted risk {risk.ref} '{risk.title}'",
        detail={"risk_id": risk.pk, "ref": risk.ref, "title": risk.title},
    )
    risk.delete()


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    by,
    reviewed_on: dt.date,
    likelihood: int,
    impact: int,
    note: str = "",
    next_review: dt.date | None = None,
    today: dt.date | None = None,
) -> RiskReview:
    """Record a review. Its scores become the risk's current (residual) assessment and the
    next review date moves on, so the register and the overdue count stay true."""
    plan = _locked_plan(risk.plan_id)
    _guard_editable(plan)
    today = today or timezone.localdate()
    errors = {}
    if plan.start_date and reviewed_on < plan.start_date:
        errors["reviewed_on"] = (
            f"The plan starts on {short_date(plan.start_date)}; a review cannot be dated before the plan starts."
        )
    elif reviewed_on > today:
        errors["reviewed_on"] = "A review records what was found, so it cannot be dated in the future."
    if next_review is not None and next_review <= reviewed_on:
        errors["next_review"] = "The next review must come after this one."
    if errors:
        raise ValidationError(errors)
    review = RiskReview(risk=risk, reviewed_on=reviewed_on, reviewer=by, likelihood=likelihood, impact=impact, note=note)
    review.full_clean(exclude=["risk", "reviewer"])
    review.save()
    risk.refresh_from_db()
    risk.residual_likelihood = likelihood
    risk.residual_impact = impact
    if next_review is not None:
        risk.review_date = next_review
    save_versioned(risk, expected_version=risk.version)
    audit_record(
        home_id=plan.home_id,
        actor=by,
        action="risk.reviewed",
        summary=f"Reviewed risk {risk.ref}: now {review.score} ({review.band.name.lower()})",
        target=risk,
    )
    return review
