"""The structured records of a plan's sections 1 and 2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from oakview.core.models import TimeStamped, Versioned


class Driver(TimeStamped, Versioned):
    """Why the change is needed, with the evidence for it."""

    class Kind(models.TextChoices):
        SAFETY = "safety", "Safety"
        REGULATORY = "regulatory", "Regulatory"
        QUALITY = "quality", "Quality"
        WORKFORCE = "workforce", "Workforce"
        FINANCIAL = "financial", "Financial"
        TECHNOLOGY = "technology", "Technology"

    class EvidenceKind(models.TextChoices):
        AUDIT = "audit", "Audit finding"
        INCIDENT = "incident", "Incident"
        NEAR_MISS = "near_miss", "Near-miss"
        INSPECTION = "inspection", "Inspection report"
        FEEDBACK = "feedback", "Feedback or complaint"
        OTHER = "other", "Other"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="drivers")
    kind = models.CharField(max_length=20, choices=Kind)
    description = models.CharField(max_length=300)
    evidence_kind = models.CharField(max_length=20, choices=EvidenceKind, blank=True)
    evidence = models.TextField(blank=True, max_length=2000)
    standards = models.ManyToManyField("core.Standard", blank=True, related_name="+")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.description


class Objective(TimeStamped, Versioned):
    """A SMART objective: what, how it is measured, the target, by when."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField("objective", max_length=300)
    measure = models.CharField(max_length=300, blank=True)
    target = models.CharField(max_length=200, blank=True)
    target_date = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Resource(TimeStamped, Versioned):
    class Kind(models.TextChoices):
        HUMAN = "human", "Human"
        PHYSICAL = "physical", "Physical"
        FINANCIAL = "financial", "Financial"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=20, choices=Kind)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(Decimal("0"))]
    )
    unit = models.CharField(max_length=50, blank=True)  # "hours", "tablets", "licence"
    unit_cost = models.DecimalField(
        "unit cost (£)", max_digits=11, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    secured = models.BooleanField(default=False, help_text="Ticked when secured; unticked means requested.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0) & Q(unit_cost__gte=0), name="plans_resource_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def total_cost(self) -> Decimal:
        return (self.quantity or Decimal("0")) * (self.unit_cost or Decimal("0"))


class Milestone(TimeStamped, Versioned):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(Action.open_q())

    def overdue(self, today: dt.date) -> ActionQuerySet:
        return self.filter(Action.overdue_q(today))

    def for_owner(self, user: Any) -> ActionQuerySet:
        # An owner who has left the home no longer sees its actions.
        return self.filter(owner=user, plan__home__memberships__user=user)


class Action(TimeStamped, Versioned):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        BLOCKED = "blocked", "Blocked"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_actions"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    milestone = models.ForeignKey(Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    standards = models.ManyToManyField("core.Standard", blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    # "Overdue", defined once: open (not done), with a due date, and that date before today.
    # The Q forms serve querysets and annotations over a relation (prefix "actions").

    @staticmethod
    def open_q(prefix: str = "") -> Q:
        return ~Q(**{f"{prefix}__status" if prefix else "status": Action.Status.DONE})

    @staticmethod
    def overdue_q(today: dt.date, prefix: str = "") -> Q:
        due = f"{prefix}__due_date__lt" if prefix else "due_date__lt"
        return Action.open_q(prefix) & Q(**{due: today})

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != self.Status.DONE and self.due_date is not None and self.due_date < today

    @property
    def overdue(self) -> bool:
        """Overdue as of today in the home's time zone (for templates)."""
        return self.is_overdue(timezone.localdate())


class ActionUpdate(models.Model):
    """A note and/or status change on an action, by whoever made it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    status_from = models.CharField(max_length=20, choices=Action.Status, blank=True)
    status_to = models.CharField(max_length=20, choices=Action.Status, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.note[:50] or f"{self.status_from} → {self.status_to}"


class TrainingSession(TimeStamped, Versioned):
    """Training takes attendees off the floor unless backfill covers them."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="training_sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_hours = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))])
    trainer = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="training_sessions")
    backfill_hours = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0) & Q(backfill_hours__gte=0), name="plans_training_hours_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title
