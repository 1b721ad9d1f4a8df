"""Every change to a plan's evaluation goes through here: lock the plan, check the rules,
write, audit. Views validate input with forms and call these; the demo, the CSV import and
the tests call them too, so the rules hold whoever writes.

The KPIs, the evidence and the benefits case are the plan's content (frozen while it is with
the approver, as every part's). Measurements, reviews and the decision are the plan being
run: they go on while a revision is in review, and stop when the plan is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oakview.core.audit import audit_record
from oakview.core.formats import long_date
from oakview.core.locking import StaleEdit, save_versioned
from oakview.core.models import Membership, Role, Standard, User
from plans.models import Adjustment, Plan
from plans.services import PlanLocked  # one lock rule and one message for every part of a plan

from . import library, rules, selectors, snapshot
from .models import KPI, AdjustmentLink, BenefitLine, BenefitsCase, Evidence, Finding, Measurement, ResidentName, Review

__all__ = ["PlanLocked", "StaleEdit"]


class Errors(dict[str, str]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _plan(plan_id: int, *, content: bool = True) -> Plan:
    plan = Plan.objects.select_for_update().select_related("home").get(pk=plan_id)
    if content and not plan.can_edit_content():
        raise PlanLocked(plan)
    if not content and plan.status == Plan.Status.CLOSED:
        raise PlanLocked(plan)
    return plan


def _audit(plan: Plan, by: Any, action: str, summary: str, target: Any = None, **detail: Any) -> None:
    audit_record(
        home_id=plan.home_id, actor=by, action=f"evaluation.{action}", summary=summary, target=target, detail=detail or None
    )


def _history_by(obj: Any, by: Any) -> None:
    if getattr(by, "is_authenticated", False):
        obj._history_user = by


def _save(obj: Any, *, by: Any, errors: Errors, expected_version: int | None = None, exclude: Sequence[str] = ("plan",)) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as e:
        for field, messages in e.message_dict.items():
            errors.add(field, messages[0])
    errors.raise_any()
    _history_by(obj, by)
    if obj.pk is None or expected_version is None:
        obj.save()
    else:
        save_versioned(obj, expected_version=expected_version)


def _member(errors: Errors, plan: Plan, user: User | None, field: str) -> None:
    if user is not None and not Membership.objects.filter(home_id=plan.home_id, user=user).exists():
        errors.add(field, f"{user.display_name} is not a member of {plan.home.name}: choose someone from the home's team.")


def _require_manager(plan: Plan, by: Any) -> None:
    if not Membership.objects.filter(home_id=plan.home_id, user=by, role=Role.MANAGER).exists():
        raise PermissionDenied("Only the home's manager can change this.")


# --- KPIs ----------------------------------------------------------------------------------------


def _check_kpi(errors: Errors, plan: Plan, kpi: KPI) -> None:
    _member(errors, plan, kpi.owner, "owner")
    if kpi.objective is not None and kpi.objective.plan_id != plan.pk:
        errors.add("objective", "Choose one of this plan's objectives.")
    for field in ("baseline", "target"):
        value = getattr(kpi, field)
        if value is not None and (problem := rules.in_range(value, kpi.lowest, kpi.highest)):
            errors.add(field, problem)
    if kpi.target_date and kpi.baseline_date and kpi.target_date <= kpi.baseline_date:
        errors.add("target_date", f"The target date must come after the baseline ({long_date(kpi.baseline_date)}).")
    if kpi.baseline is not None and kpi.target is not None and kpi.baseline != kpi.target:
        worse = kpi.target < kpi.baseline if kpi.direction == KPI.Direction.HIGHER else kpi.target > kpi.baseline
        if worse:
            errors.add("target", "The target is worse than the baseline for this direction: check the direction or the target.")
    if kpi.highest is not None and kpi.highest <= kpi.lowest:
        errors.add("highest", "The highest possible value must be above the lowest.")


@transaction.atomic
def kpi_save(*, kpi: KPI, by: Any, standards: Sequence[Standard] | None = None, expected_version: int | None = None) -> KPI:
    plan = _plan(kpi.plan_id)
    _require_manager(plan, by)
    errors = Errors()
    _check_kpi(errors, plan, kpi)
    created = kpi.pk is None
    if created and not kpi.order:
        kpi.order = KPI.objects.filter(plan=plan).count() + 1
    _save(kpi, by=by, errors=errors, expected_version=expected_version)
    if standards is not None:
        kpi.standards.set(standards)
    _audit(plan, by, "kpi.added" if created else "kpi.changed", f"{'Added' if created else 'Changed'} KPI {kpi.name}", kpi)
    return kpi


def kpi_from_library(*, plan: Plan, key: str) -> KPI:
    """An unsaved KPI filled in from the library entry (the manager adds the numbers)."""
    entry = library.BY_KEY[key]
    return KPI(
        plan=plan,
        name=entry.name,
        description=entry.description,
        kind=entry.kind,
        dimension=entry.dimension,
        unit=entry.unit,
        direction=entry.direction,
        data_source=entry.data_source,
        frequency=entry.frequency,
        lowest=entry.lowest,
        highest=entry.highest,
        series_ref=entry.series,
        library_key=entry.key,
    )


def library_standards(key: str) -> list[Standard]:
    codes = library.BY_KEY[key].standards if key in library.BY_KEY else ()
    return list(Standard.objects.filter(code__in=codes, framework__code="cqc-fundamental-standards")) if codes else []


@transaction.atomic
def kpi_delete(*, kpi: KPI, by: Any) -> None:
    plan = _plan(kpi.plan_id)
    _require_manager(plan, by)
    _audit(plan, by, "kpi.deleted", f"Deleted KPI {kpi.name}", detail_id=kpi.pk)
    _history_by(kpi, by)
    kpi.delete()


# --- Measurements ------------------------------------------------------------------------------


def check_measurement(kpi: KPI, day: dt.date | None, value: Decimal | None, today: dt.date) -> Errors:
    errors = Errors()
    if day is None:
        errors.add("date", "Give the date the measurement was taken.")
    elif day > today:
        errors.add("date", "A measurement records what has happened, so it cannot be in the future.")
    elif kpi.plan.start_date and kpi.baseline_date is None and day < kpi.plan.start_date - dt.timedelta(days=366):
        errors.add("date", "That is more than a year before the plan starts.")
    if value is None:
        errors.add("value", f"Give the value, as a number in {kpi.unit}.")
    elif problem := rules.in_range(value, kpi.lowest, kpi.highest):
        errors.add("value", problem)
    return errors


@transaction.atomic
def measurement_record(*, kpi: KPI, by: Any, date: dt.date | None, value: Decimal | None, note: str = "") -> Measurement:
    """One reading; a second on the same day is refused (correct the first instead)."""
    plan = _plan(kpi.plan_id, content=False)
    kpi.plan = plan
    if not selectors.can_measure(by, kpi):
        raise PermissionDenied("Only the KPI's owner or the manager records its measurements, while the plan runs.")
    errors = check_measurement(kpi, date, value, timezone.localdate())
    if date and Measurement.objects.filter(kpi=kpi, date=date).exists():
        errors.add("date", f"There is already a measurement for {long_date(date)}: delete it first to record another.")
    errors.raise_any()
    assert date is not None and value is not None  # checked above
    measurement = Measurement(
        kpi=kpi, date=date, value=value, note=note.strip(), recorded_by=by if getattr(by, "pk", None) else None
    )
    _history_by(measurement, by)
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:
        raise ValidationError({"date": f"There is already a measurement for {long_date(date)}."}) from None
    _audit(plan, by, "measurement.added", f"{kpi.name}: {rules.plain(value)} on {long_date(date)}", kpi)
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by: Any) -> None:
    kpi = measurement.kpi
    plan = _plan(kpi.plan_id, content=False)
    kpi.plan = plan
    if not selectors.can_measure(by, kpi):
        raise PermissionDenied("Only the KPI's owner or the manager changes its measurements.")
    _audit(plan, by, "measurement.deleted", f"{kpi.name}: deleted the reading of {long_date(measurement.date)}", kpi)
    _history_by(measurement, by)
    measurement.delete()


@transaction.atomic
def measurements_import(*, kpi: KPI, by: Any, rows: Sequence[tuple[dt.date, Decimal, str]]) -> int:
    """Rows already checked by the preview: all saved, or (if anything changed meanwhile)
    none."""
    plan = _plan(kpi.plan_id, content=False)
    kpi.plan = plan
    if not selectors.can_measure(by, kpi):
        raise PermissionDenied("Only the KPI's owner or the manager records its measurements, while the plan runs.")
    today = timezone.localdate()
    taken = set(Measurement.objects.filter(kpi=kpi).values_list("date", flat=True))
    problems = []
    for day, value, _ in rows:
        errors = check_measurement(kpi, day, value, today)
        if day in taken:
            errors.add("date", f"{long_date(day)} already has a measurement")
        if errors:
            problems.append(f"{long_date(day)}: {'; '.join(errors.values())}")
    if problems:
        raise ValidationError("Nothing was imported: " + "; ".join(problems))
    Measurement.objects.bulk_create(
        Measurement(kpi=kpi, date=day, value=value, note=note, recorded_by=by if getattr(by, "pk", None) else None)
        for day, value, note in rows
    )
    _audit(plan, by, "measurement.imported", f"{kpi.name}: imported {len(rows)} measurements", kpi, count=len(rows))
    return len(rows)


# --- Evidence ----------------------------------------------------------------------------------


@transaction.atomic
def evidence_save(*, evidence: Evidence, by: Any, expected_version: int | None = None) -> Evidence:
    plan = _plan(evidence.plan_id, content=False)
    _require_manager(plan, by)
    errors = Errors()
    if evidence.kpi is not None and evidence.kpi.plan_id != plan.pk:
        errors.add("kpi", "Choose one of this plan's KPIs.")
    if evidence.date and evidence.date > timezone.localdate():
        errors.add("date", "Evidence records what has been heard or seen, so it cannot be dated in the future.")
    created = evidence.pk is None
    if created:
        evidence.recorded_by = by
    _save(evidence, by=by, errors=errors, expected_version=expected_version)
    _audit(
        plan,
        by,
        "evidence.added" if created else "evidence.changed",
        f"Evidence from {evidence.get_source_display().lower()}: {evidence.summary[:80]}",
        evidence,
    )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Any) -> None:
    plan = _plan(evidence.plan_id, content=False)
    _require_manager(plan, by)
    _audit(plan, by, "evidence.deleted", f"Deleted evidence: {evidence.summary[:80]}")
    evidence.delete()


def identification_warnings(plan: Plan, *texts: str) -> list[str]:
    """Why any of the texts may identify a resident (see rules.identifying)."""
    names = list(ResidentName.objects.filter(home_id=plan.home_id).values_list("name", flat=True))
    found: list[str] = []
    for text in texts:
        for reason in rules.identifying(text or "", names):
            if reason not in found:
                found.append(reason)
    return found


# --- Reviews and the decision ----------------------------------------------------------------


def _live_statuses(plan: Plan) -> dict[int, rules.Status]:
    part = snapshot.read_part(snapshot.build(plan))
    assert part is not None
    plan_snap = {"go_live_date": plan.go_live_date.isoformat() if plan.go_live_date else None}
    return {row["id"]: row["status"] for row in snapshot.kpi_rows(part, plan_snap, id_prefix="r", charts_for=False)}


@transaction.atomic
def review_create(
    *, plan_id: int, by: Any, kind: str, held_on: dt.date | None, summary: str, comments: dict[int, str] | None = None
) -> Review:
    """A review with a finding for every KPI: the RAG status each stood at, frozen with it."""
    plan = _plan(plan_id, content=False)
    _require_manager(plan, by)
    errors = Errors()
    if held_on and held_on > timezone.localdate():
        errors.add("held_on", "Record a review once it has been held: the date cannot be in the future.")
    review = Review(plan=plan, kind=kind, summary=summary.strip(), recorded_by=by)
    if held_on is not None:
        review.held_on = held_on
    _save(review, by=by, errors=errors)
    statuses = _live_statuses(plan)
    Finding.objects.bulk_create(
        Finding(
            review=review,
            kpi_id=kpi_id,
            status=status.rag.key,
            value=status.latest.value if status.latest else None,
            comment=(comments or {}).get(kpi_id, "").strip(),
        )
        for kpi_id, status in statuses.items()
    )
    _audit(plan, by, "review.added", f"{review.get_kind_display()} held on {long_date(held_on)}", review)
    return review


@transaction.atomic
def finding_comment(*, finding: Finding, by: Any, comment: str) -> Finding:
    plan = _plan(finding.review.plan_id, content=False)
    _require_manager(plan, by)
    finding.comment = comment.strip()[:2000]
    finding.save(update_fields=["comment"])
    return finding


@transaction.atomic
def review_decide(*, review: Review, by: Any, decision: str, reasons: str) -> Review:
    """The three-month evaluation's final decision, with its reasons: what the plan closes with."""
    plan = _plan(review.plan_id, content=False)
    _require_manager(plan, by)
    errors = Errors()
    if review.kind != Review.Kind.FINAL:
        errors.add("decision", "The final decision is made at the three-month evaluation.")
    if decision not in Review.Decision.values:
        errors.add("decision", "Choose the decision: embed, adjust, extend or revert.")
    if not (reasons or "").strip():
        errors.add("reasons", "Give the reasons for the decision: what the KPIs and the evidence showed.")
    errors.raise_any()
    review.decision, review.reasons = decision, reasons.strip()
    review.decided_by, review.decided_at = by, timezone.now()
    _history_by(review, by)
    review.save()
    _audit(plan, by, "decision", f"Final decision: {review.get_decision_display().lower()}", review, decision=decision)
    return review


# --- Adjustments ----------------------------------------------------------------------------------


@transaction.atomic
def adjustment_link(*, adjustment: Adjustment, by: Any, kpi: KPI | None, review: Review | None, effect: str) -> AdjustmentLink:
    plan = _plan(adjustment.plan_id, content=False)
    _require_manager(plan, by)
    errors = Errors()
    if kpi is not None and kpi.plan_id != plan.pk:
        errors.add("kpi", "Choose one of this plan's KPIs.")
    if review is not None and review.plan_id != plan.pk:
        errors.add("review", "Choose one of this plan's reviews.")
    errors.raise_any()
    link, _ = AdjustmentLink.objects.update_or_create(
        adjustment=adjustment, defaults={"kpi": kpi, "review": review, "effect": effect.strip()}
    )
    _audit(plan, by, "adjustment.linked", f"Adjustment of {long_date(adjustment.date)} linked to what triggered it", link)
    return link


# --- The benefits case -------------------------------------------------------------------------


@transaction.atomic
def benefits_save(*, case: BenefitsCase, by: Any, expected_version: int | None = None) -> BenefitsCase:
    # The expected figures are content; the actual ones are tracked while the plan runs.
    plan = _plan(case.plan_id, content=False)
    _require_manager(plan, by)
    if not plan.can_edit_content() and case.pk is not None:
        was = BenefitsCase.objects.get(pk=case.pk)
        fixed = ("minutes_saved_per_shift", "carer_shifts_per_week", "hour_value", "horizon_years", "social_return")
        if any(getattr(was, f) != getattr(case, f) for f in fixed):
            raise PlanLocked(plan)
    elif not plan.can_edit_content():
        raise PlanLocked(plan)
    _save(case, by=by, errors=Errors(), expected_version=expected_version)
    _audit(plan, by, "benefits.changed", "Changed the benefits case", case)
    return case


@transaction.atomic
def benefit_line_save(*, line: BenefitLine, by: Any, expected_version: int | None = None) -> BenefitLine:
    plan = _plan(line.plan_id)
    _require_manager(plan, by)
    created = line.pk is None
    _save(line, by=by, errors=Errors(), expected_version=expected_version)
    _audit(plan, by, "benefit.added" if created else "benefit.changed", f"Benefit: {line.description}", line)
    return line


@transaction.atomic
def benefit_line_delete(*, line: BenefitLine, by: Any) -> None:
    plan = _plan(line.plan_id)
    _require_manager(plan, by)
    _audit(plan, by, "benefit.deleted", f"Deleted benefit: {line.description}")
    line.delete()
