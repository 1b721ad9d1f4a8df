"""The case-study assessment: passages the manager links to criteria, the assessors a
manager assigns to a plan, and the assessors' feedback on an approved revision.

Feedback is immutable once issued: the model refuses a change or deletion, and database
triggers (migration 0006) refuse an UPDATE of an issued assessment or any write to its
judgements, so neither a queryset .update() nor raw SQL can rewrite what the learner was
told. The criteria themselves are shipped reference data (plans.assessment.criteria),
stored here by key with the version they were judged against.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class ImmutableAssessment(ValidationError):
    pass


class CriterionPassage(models.Model):
    """A paragraph of a section's narrative the manager has linked to a criterion that only
    prose can meet. The text is kept as linked: if the narrative changes and the paragraph
    goes, the check says so rather than pointing at words that are no longer there."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="criterion_passages")
    criterion = models.CharField(max_length=50)
    section = models.CharField(max_length=20)
    text = models.TextField(max_length=5000)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["criterion", "id"]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.text[:40]}"


class AssessorAssignment(models.Model):
    """A viewer of the plan's home whom the manager has asked to assess this plan. Only an
    assigned viewer may record feedback, and only on this plan."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="assessor_assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "assessor__first_name", "assessor__last_name"]
        constraints = [models.UniqueConstraint(fields=["plan", "assessor"], name="plans_assessor_once_per_plan")]

    def __str__(self) -> str:
        return f"{self.assessor} assesses {self.plan}"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def issued(self) -> AssessmentQuerySet:
        return self.filter(issued_at__isnull=False)


class Assessment(models.Model):
    class Outcome(models.TextChoices):
        MET = "met", "All criteria met"
        NOT_YET_MET = "not_yet_met", "Not yet met: resubmission needed"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="assessments")
    revision = models.ForeignKey("plans.PlanRevision", on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criteria_version = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    feedback = models.TextField("overall feedback", blank=True, max_length=10000)
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-revision__number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "assessor"], name="plans_assessment_one_per_assessor_revision"),
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True) | ~Q(outcome=""), name="plans_assessment_issued_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.revision} by {self.assessor}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self).objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise ImmutableAssessment("Feedback cannot be changed once it has been issued.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_issued:
            raise ImmutableAssessment("Feedback cannot be deleted once it has been issued.")
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class CriterionJudgement(models.Model):
    class Judgement(models.TextChoices):
        MET = "met", "Met"
        NOT_YET_MET = "not_yet_met", "Not yet met"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.CharField(max_length=50)
    judgement = models.CharField(max_length=20, choices=Judgement)
    feedback = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="plans_judgement_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_judgement_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Assessment.objects.filter(pk=self.assessment_id, issued_at__isnull=False).exists():
            raise ImmutableAssessment("Feedback cannot be changed once it has been issued.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if Assessment.objects.filter(pk=self.assessment_id, issued_at__isnull=False).exists():
            raise ImmutableAssessment("Feedback cannot be deleted once it has been issued.")
        return super().delete(*args, **kwargs)
