"""Factories for the risk register's tests."""

from __future__ import annotations

import datetime as dt

import factory

from risks.models import Risk, RiskReview
from tests.factories import PlanFactory


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(lambda r: Risk.objects.filter(plan=r.plan).count() + 1)
    title = factory.Sequence(lambda n: f"Risk {n}")
    category = Risk.Category.DATA_IT
    phase = Risk.Phase.GO_LIVE
    inherent_likelihood = 2
    inherent_impact = 2
    residual_likelihood = 1
    residual_impact = 2
    mitigation = "Offline mode on every tablet."
    contingency = "Switch to the paper downtime packs."
    trigger = "The app will not load for 15 minutes."
    review_date = dt.date(2027, 3, 1)


class RiskReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskReview

    risk = factory.SubFactory(RiskFactory)
    reviewed_on = dt.date(2026, 12, 15)
    likelihood = 2
    impact = 2
    note = "Checked at the team meeting."
