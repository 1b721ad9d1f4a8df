"""A plan's risk register: risks scored on the 5x5 matrix before and after mitigation, with
the contingency plan for when one happens anyway, and the reviews that track them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from oakview.core.formats import short_date
from oakview.core.models import TimeStamped, Versioned

from . import matrix

_LEVEL_VALIDATORS = [MinValueValidator(matrix.MIN_LEVEL), MaxValueValidator(matrix.MAX_LEVEL)]


def _level_check(field: str, name: str) -> models.CheckConstraint:
    # The form refuses 0 and 6 too, but a crafted POST, a script or the admin must not be
    # able to store a score the matrix (and the PDF) cannot place.
    return models.CheckConstraint(condition=Q(**{f"{field}__range": (matrix.MIN_LEVEL, matrix.MAX_LEVEL)}), name=name)


class RiskQuerySet(models.QuerySet["Risk"]):
    def with_scores(self) -> RiskQuerySet:
        return self.annotate(
            inherent_score_db=F("inherent_likelihood") * F("inherent_impact"),
            residual_score_db=F("residual_likelihood") * F("residual_impact"),
        )

    def live(self) -> RiskQuerySet:
        """Risks still being managed (a closed risk needs no further review)."""
        return self.exclude(status=Risk.Status.CLOSED)

    def overdue(self, today: dt.date) -> RiskQuerySet:
        return self.live().filter(review_date__lt=today)

    def in_band(self, key: str, *, basis: str = "inherent") -> RiskQuerySet:
        low, high = matrix.band_range(key)
        return self.with_scores().filter(**{f"{basis}_score_db__range": (low, high)})


class Risk(TimeStamped, Versioned):
    class Category(models.TextChoices):
        RESIDENT_SAFETY = "resident_safety", "Resident safety"
        CARE_RECORDS = "care_records", "Clinical and care records"
        DATA_IT = "data_it", "Data protection and IT"
        WORKFORCE = "workforce", "Workforce"
        FINANCIAL = "financial", "Financial"
        REGULATORY = "regulatory", "Regulatory"
        REPUTATIONAL = "reputational", "Reputational"

    class Phase(models.TextChoices):
        PLANNING = "planning", "Planning"
        GO_LIVE = "go_live", "Go-live week"
        EMBEDDING = "embedding", "Embedding"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATED = "mitigated", "Mitigated"
        OCCURRED = "occurred", "Occurred"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="risks")
    # R1, R2, ... per plan, never reused: the approver's diff and the PDF refer to risks by it.
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField("risk", max_length=200, help_text="What could go wrong, in a few words.")
    description = models.TextField(blank=True, max_length=3000, help_text="Cause and effect: what would happen, and to whom.")
    category = models.CharField(max_length=20, choices=Category, default=Category.RESIDENT_SAFETY)
    phase = models.CharField(max_length=20, choices=Phase, default=Phase.GO_LIVE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_risks"
    )

    inherent_likelihood = models.PositiveSmallIntegerField(
        "likelihood before mitigation", choices=matrix.LIKELIHOOD_CHOICES, validators=_LEVEL_VALIDATORS
    )
    inherent_impact = models.PositiveSmallIntegerField(
        "impact before mitigation", choices=matrix.IMPACT_CHOICES, validators=_LEVEL_VALIDATORS
    )
    mitigation = models.TextField(
        blank=True, max_length=3000, help_text="What is done now to make it less likely or less harmful."
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        "likelihood after mitigation", choices=matrix.LIKELIHOOD_CHOICES, validators=_LEVEL_VALIDATORS
    )
    residual_impact = models.PositiveSmallIntegerField(
        "impact after mitigation", choices=matrix.IMPACT_CHOICES, validators=_LEVEL_VALIDATORS
    )
    contingency = models.TextField("contingency plan", blank=True, max_length=3000, help_text="What we do if it happens anyway.")
    trigger = models.CharField(
        max_length=300, blank=True, help_text="How we will know it is happening, so the contingency plan starts."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    review_date = models.DateField("next review", null=True, blank=True)
    standards = models.ManyToManyField("core.Standard", blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            _level_check("inherent_likelihood", "risks_risk_inherent_likelihood_1_5"),
            _level_check("inherent_impact", "risks_risk_inherent_impact_1_5"),
            _level_check("residual_likelihood", "risks_risk_residual_likelihood_1_5"),
            _level_check("residual_impact", "risks_risk_residual_impact_1_5"),
            models.UniqueConstraint(fields=["plan", "number"], name="risks_risk_unique_number_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"R{self.number}"

    @property
    def inherent_score(self) -> int:
        return matrix.score(self.inherent_likelihood, self.inherent_impact)

    @property
    def residual_score(self) -> int:
        return matrix.score(self.residual_likelihood, self.residual_impact)

    @property
    def inherent_band(self) -> matrix.Band:
        return matrix.band_for(self.inherent_score)

    @property
    def residual_band(self) -> matrix.Band:
        return matrix.band_for(self.residual_score)

    @property
    def is_serious(self) -> bool:
        # Judged on the inherent score: a contingency exists for when mitigation fails, so a
        # risk that is only "moderate" because of its mitigation still needs one.
        return self.inherent_band.key in matrix.SERIOUS_BANDS

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != self.Status.CLOSED and self.review_date is not None and self.review_date < today


class RiskReview(models.Model):
    """A dated reassessment of a risk; the series is the trend the register shows."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("date of review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    likelihood = models.PositiveSmallIntegerField(choices=matrix.LIKELIHOOD_CHOICES, validators=_LEVEL_VALIDATORS)
    impact = models.PositiveSmallIntegerField(choices=matrix.IMPACT_CHOICES, validators=_LEVEL_VALIDATORS)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "id"]
        constraints = [
            _level_check("likelihood", "risks_review_likelihood_1_5"),
            _level_check("impact", "risks_review_impact_1_5"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.risk.ref} on {short_date(self.reviewed_on)}"

    @property
    def score(self) -> int:
        return matrix.score(self.likelihood, self.impact)

    @property
    def band(self) -> matrix.Band:
        return matrix.band_for(self.score)
