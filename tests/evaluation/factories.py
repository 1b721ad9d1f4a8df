"""Factories for the evaluation app's tests, and what its readiness and its close check ask
of a plan (used by other apps' workflow tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from evaluation.models import KPI, BenefitLine, BenefitsCase, Evidence, Measurement, Review
from tests.factories import PlanFactory


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"KPI {n}")
    kind = KPI.Kind.QUANTITATIVE
    dimension = KPI.Dimension.TECHNICAL
    unit = "%"
    direction = KPI.Direction.HIGHER
    highest = Decimal("100")
    baseline = Decimal("70")
    baseline_date = factory.LazyAttribute(lambda k: k.plan.start_date or dt.date(2026, 11, 1))
    baseline_source = "Spot check of ten files"
    target = Decimal("95")
    target_date = factory.LazyAttribute(lambda k: k.plan.end_date or dt.date(2027, 4, 30))
    data_source = "Care record audit log"
    owner = factory.LazyAttribute(lambda k: k.plan.author)
    order = factory.Sequence(lambda n: n)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    kpi = factory.SubFactory(KPIFactory)
    date = factory.LazyFunction(timezone.localdate)
    value = Decimal("75")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    plan = factory.SubFactory(PlanFactory)
    source = Evidence.Source.STAFF
    method = Evidence.Method.INTERVIEW
    date = factory.LazyFunction(timezone.localdate)
    summary = "Night staff said handovers are quicker."
    themes = "handover, time"
    sentiment = Evidence.Sentiment.POSITIVE


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(PlanFactory)
    kind = Review.Kind.MONTHLY
    held_on = factory.LazyFunction(timezone.localdate)
    summary = "Most KPIs moving the right way."


class BenefitsCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitsCase

    plan = factory.SubFactory(PlanFactory)
    minutes_saved_per_shift = Decimal("20")
    carer_shifts_per_week = 84
    hour_value = Decimal("16.50")


class BenefitLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitLine

    plan = factory.SubFactory(PlanFactory)
    kind = BenefitLine.Kind.AVOIDED_COST
    description = "Printing, binders and archiving"
    annual_value = Decimal("3200")


def satisfy_evaluation_readiness(plan) -> None:
    """What this part's readiness asks of a plan that is to be submitted: a quantitative KPI
    of technical success and a qualitative one of cultural adaptation, each complete."""
    KPIFactory(plan=plan, name="Care notes recorded within an hour")
    KPIFactory(
        plan=plan,
        name="Staff confident using the system",
        kind=KPI.Kind.QUALITATIVE,
        dimension=KPI.Dimension.CULTURAL,
        baseline=Decimal("40"),
        target=Decimal("80"),
        data_source="Staff survey",
    )


def record_decision(plan, outcome: str, by=None) -> Review:
    """The three-month evaluation with its final decision, which closing the plan asks for."""
    return ReviewFactory(
        plan=plan, kind=Review.Kind.FINAL, decision=outcome, reasons="The KPIs and the interviews say so.", decided_by=by
    )
