"""Factories for the stakeholders app's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from oakview.core.models import Role
from stakeholders.models import (
    AdkarPulse,
    Champion,
    CommunicationItem,
    Concern,
    EngagementActivity,
    Stakeholder,
    StanceChange,
)
from tests.factories import PlanFactory, member


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n}")
    kind = "staff_group"
    headcount = 4
    shift_pattern = "days"
    power = 2
    interest = 4
    stance = "neutral"

    @factory.post_generation
    def mapped_on(self, create, extracted, **kwargs):
        # Like the service: the stance as mapped starts the history.
        if create:
            StanceChange.objects.create(
                stakeholder=self, stance=self.stance, changed_on=extracted or self.plan.start_date, reason="First mapped"
            )


class StanceChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StanceChange

    stakeholder = factory.SubFactory(StakeholderFactory)
    stance = "supportive"
    changed_on = dt.date(2026, 12, 8)
    reason = "After the workshop."


class AdkarPulseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdkarPulse

    stakeholder = factory.SubFactory(StakeholderFactory)
    taken_on = dt.date(2026, 12, 1)
    awareness = 4
    desire = 3
    knowledge = 2
    ability = 2
    reinforcement = 1


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    plan = factory.SubFactory(PlanFactory)
    stakeholder = factory.LazyAttribute(lambda c: StakeholderFactory(plan=c.plan))
    raised_on = factory.LazyAttribute(lambda c: c.plan.start_date)
    channel = Concern.Channel.TEAM_MEETING
    text = factory.Sequence(lambda n: f"Concern number {n}: will we have time?")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementActivity

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    kind = "workshop"
    held_on = factory.LazyAttribute(lambda a: a.plan.start_date)
    invited = 10
    attended = 8


class ChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Champion

    plan = factory.SubFactory(PlanFactory)
    user = factory.LazyAttribute(lambda c: member(c.plan.home, Role.STAFF))
    shift_pattern = "days"
    max_supported = 8
    protected_hours_per_week = Decimal("0")


class CommunicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationItem

    plan = factory.SubFactory(PlanFactory)
    stakeholder = factory.LazyAttribute(lambda c: StakeholderFactory(plan=c.plan))
    message = factory.Sequence(lambda n: f"Weekly update {n}")
    channel = CommunicationItem.Channel.HANDOVER
    frequency = CommunicationItem.Frequency.WEEKLY
    next_due = factory.LazyAttribute(lambda c: c.plan.end_date)


def satisfy_support_readiness(plan) -> None:
    """What this part's readiness asks of a plan that is to be submitted: a stakeholder, an
    engagement activity and a champion (used by other apps' workflow tests)."""
    StakeholderFactory(plan=plan, name="Care staff", stance="supportive")
    ActivityFactory(plan=plan, title="Listening session")
    ChampionFactory(plan=plan)
