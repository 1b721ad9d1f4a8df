"""Factories shared by every app's tests. App-specific ones live in tests/<app>/factories.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from oakview.core.models import CareHome, Membership, Role, User
from plans.models import Action, Driver, Milestone, Objective, Plan, Resource, TrainingSession

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save()


class CareHomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareHome

    name = factory.Sequence(lambda n: f"Home {n}")
    beds = 40
    regulator = CareHome.Regulator.CQC
    required_care_hours_per_day = Decimal("90")
    rostered_care_hours_per_day = Decimal("96")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    home = factory.SubFactory(CareHomeFactory)
    role = Role.STAFF


def member(home: CareHome, role: str, username: str | None = None, **kwargs) -> User:
    user = UserFactory(**({"username": username} if username else {}), **kwargs)
    MembershipFactory(user=user, home=home, role=role)
    return user


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    home = factory.SubFactory(CareHomeFactory)
    title = factory.Sequence(lambda n: f"Change plan {n}")
    author = factory.LazyAttribute(lambda p: member(p.home, Role.MANAGER))
    start_date = dt.date(2026, 12, 1)
    go_live_date = dt.date(2027, 2, 1)
    end_date = dt.date(2027, 3, 1)


class DriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Driver

    plan = factory.SubFactory(PlanFactory)
    kind = Driver.Kind.SAFETY
    description = factory.Sequence(lambda n: f"Driver {n}")
    evidence_kind = Driver.EvidenceKind.AUDIT
    evidence = "Internal audit: 30% of care files not updated in real time."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    measure = "% of care plans on the system"
    target = "100%"
    target_date = dt.date(2027, 2, 1)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    plan = factory.SubFactory(PlanFactory)
    kind = Resource.Kind.PHYSICAL
    description = factory.Sequence(lambda n: f"Resource {n}")
    quantity = Decimal("2")
    unit_cost = Decimal("250.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = dt.date(2027, 1, 15)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = dt.date(2027, 1, 10)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Training {n}")
    starts_at = factory.LazyFunction(lambda: dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC))
    duration_hours = Decimal("3")
    backfill_hours = Decimal("0")
