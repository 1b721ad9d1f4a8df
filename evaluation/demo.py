"""Oak View's evaluation for the demo: the KPIs an assessor looks for, with the baselines of
the scenario (about 30% of files not brought up to date in real time, so 70% of notes within
the hour; near-misses from unreadable handwriting; 40% of staff confident), the weekly
readings of the four weeks so far, what staff and families said, the benefits case, and the
first monthly review. Everything is written through the services, dated from the plan's
start and never after today.

The demo plan is four weeks in, with go-live four weeks ahead: the readings so far are the
baseline period (flat, as they should be before the system is in use).

plans' seed_demo asks every part: seed_for_plan runs before the plan goes for approval,
after_approval once revision 1 is approved. Both are idempotent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from plans.models import Objective, Plan

from . import services
from .models import KPI, BenefitLine, BenefitsCase, Evidence, ResidentName, Review

# Fictional residents, only so the evidence check has a list to warn against.
RESIDENTS = ("Agnes Whitfield", "Bill Archer", "Edith Moss", "Harold Pike")

# key: (owner, baseline, target, baseline source, objective title, weekly readings so far or None)
KPIS: dict[str, tuple[str, str, str, str, str, tuple[str, ...]]] = {
    "notes_within_hour": (
        "staff1",
        "70",
        "90",
        "October record audit: about 30% of files not brought up to date in real time",
        "Notes are recorded at the point of care",
        ("69", "71", "70", "72"),
    ),
    "documentation_minutes": (
        "staff1",
        "75",
        "55",
        "A week's time sample on paper, three shifts",
        "",
        ("76", "74", "75", "73"),
    ),
    "unreadable_near_misses": (
        "manager",
        "1",
        "0",
        "Incident log: three near-misses a quarter from unreadable handwriting",
        "No near-misses from unreadable or missing records",
        (),
    ),
    "staff_confidence": (
        "staff2",
        "40",
        "85",
        "Staff survey before the project: 40% rated their confidence 4 or 5 out of 5",
        "Staff are confident with the system",
        (),
    ),
    "dspt_training": ("manager", "62", "95", "Training matrix, October", "", ()),
    "staff_supportive": ("manager", "35", "75", "Stakeholder map when first drawn", "", ()),
}

EVIDENCE = (
    (
        3,
        Evidence.Source.STAFF,
        Evidence.Method.INTERVIEW,
        "Night staff worry that typing will slow the medication round and that the tablets will not work in the east wing.",
        "I'd rather write it once than tap through five screens at 3 in the morning.\nIf the Wi-Fi drops, what do we do?",
        "night shift, time with residents, Wi-Fi",
        Evidence.Sentiment.NEGATIVE,
        "staff_confidence",
    ),
    (
        10,
        Evidence.Source.STAFF,
        Evidence.Method.FOCUS_GROUP,
        "Senior carers at the listening session: handwriting on the MAR charts is a real risk; they want quick-note templates.",
        "Half the near-misses last year were someone misreading a dose.\nShow us it gives us time back and we'll try it.",
        "handwriting, safety, time with residents",
        Evidence.Sentiment.MIXED,
        "unreadable_near_misses",
    ),
    (
        17,
        Evidence.Source.FAMILY,
        Evidence.Method.INTERVIEW,
        "Families at the residents' meeting want to know their relative's day without phoning; two worry about privacy.",
        "I ring every evening just to ask if Mum ate.\nWho else will be able to read it?",
        "family updates, privacy",
        Evidence.Sentiment.MIXED,
        "",
    ),
    (
        24,
        Evidence.Source.STAFF,
        Evidence.Method.OBSERVATION,
        "Digital champions' drop-in: six carers practised on the training tablets; confidence visibly up by the end.",
        "That's easier than I thought.",
        "confidence, training",
        Evidence.Sentiment.POSITIVE,
        "staff_confidence",
    ),
)

SOCIAL_RETURN = (
    "Twenty minutes a shift back for every carer is about 28 hours a week at residents' sides: more time "
    "for conversation, activities and unhurried personal care. Legible, timely records mean fewer near-misses "
    "with medicines, and families who can see their relative's day ring less and worry less."
)


def _day(plan: Plan, n: int) -> dt.date:
    start = plan.start_date or timezone.localdate()
    return min(start + dt.timedelta(days=n), timezone.localdate())


def seed_for_plan(ctx: Any, plan: Plan) -> None:
    if KPI.objects.filter(plan=plan).exists():
        ctx.say(f"“{plan.title}” already has its evaluation framework.")
        return
    users, manager = ctx.users, ctx.users["manager"]
    for name in RESIDENTS:
        ResidentName.objects.get_or_create(home=plan.home, name=name)
    objectives = {o.title: o for o in Objective.objects.filter(plan=plan)}
    kpis: dict[str, KPI] = {}
    for key, (owner, baseline, target, source, objective, readings) in KPIS.items():
        kpi = services.kpi_from_library(plan=plan, key=key)
        kpi.owner = users[owner]
        kpi.baseline, kpi.target = Decimal(baseline), Decimal(target)
        kpi.baseline_date, kpi.baseline_source = plan.start_date, source
        kpi.target_date = plan.end_date
        kpi.objective = objectives.get(objective)
        kpis[key] = services.kpi_save(kpi=kpi, by=manager, standards=services.library_standards(key))
        for week, value in enumerate(readings):
            services.measurement_record(
                kpi=kpis[key], by=users[owner], date=_day(plan, 7 * week), value=Decimal(value), note="Weekly spot check"
            )
    services.measurement_record(
        kpi=kpis["unreadable_near_misses"],
        by=manager,
        date=_day(plan, 27),
        value=Decimal("1"),
        note="Month one: a misread dose, caught",
    )
    services.measurement_record(
        kpi=kpis["staff_confidence"], by=users["staff2"], date=_day(plan, 1), value=Decimal("40"), note="Survey"
    )
    services.measurement_record(
        kpi=kpis["dspt_training"], by=manager, date=_day(plan, 27), value=Decimal("71"), note="Training matrix"
    )
    for offset, source, method, summary, quotes, themes, sentiment, kpi_key in EVIDENCE:
        services.evidence_save(
            evidence=Evidence(
                plan=plan,
                kpi=kpis.get(kpi_key),
                source=source,
                method=method,
                date=_day(plan, offset),
                summary=summary,
                quotes=quotes,
                themes=themes,
                sentiment=sentiment,
            ),
            by=manager,
        )
    services.benefits_save(
        case=BenefitsCase(
            plan=plan,
            minutes_saved_per_shift=Decimal("20"),
            carer_shifts_per_week=84,
            hour_value=Decimal("16.50"),
            horizon_years=3,
            social_return=SOCIAL_RETURN,
        ),
        by=manager,
    )
    for kind, description, value, count in (
        (BenefitLine.Kind.AVOIDED_COST, "Printing, binders and off-site archiving", "3200", None),
        (BenefitLine.Kind.AVOIDED_COST, "Agency hours no longer booked to catch up on paperwork", "1800", None),
        (BenefitLine.Kind.SAFETY, "Near-misses from unreadable records avoided", "0", 12),
    ):
        services.benefit_line_save(
            line=BenefitLine(plan=plan, kind=kind, description=description, annual_value=Decimal(value), annual_count=count),
            by=manager,
        )
    services.review_create(
        plan_id=plan.pk,
        by=manager,
        kind=Review.Kind.MONTHLY,
        held_on=_day(plan, 28),
        summary=(
            "First monthly review, a month before go-live: baselines confirmed and holding steady; the night team's worries "
            "are the main risk to confidence, so their training moves to 20:00 with bank backfill."
        ),
        comments={kpis["notes_within_hour"].pk: "Flat at about 70%, as expected on paper."},
    )
    ctx.say(f"“{plan.title}”: {len(kpis)} KPIs, {len(EVIDENCE)} pieces of evidence, the benefits case and a monthly review.")


def after_approval(ctx: Any, plan: Plan) -> None:
    """The later change the approver sees on the review page: families' satisfaction with
    information joins the framework after the residents' meeting."""
    if KPI.objects.filter(plan=plan, library_key="family_satisfaction").exists():
        return
    kpi = services.kpi_from_library(plan=plan, key="family_satisfaction")
    kpi.owner = ctx.users["manager"]
    kpi.baseline, kpi.target = Decimal("3.1"), Decimal("4.2")
    kpi.baseline_date, kpi.target_date = _day(plan, 17), plan.end_date
    kpi.baseline_source = "Residents' meeting feedback cards"
    services.kpi_save(kpi=kpi, by=ctx.users["manager"], standards=services.library_standards("family_satisfaction"))
