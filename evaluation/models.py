"""The evaluation framework of a plan (question 5): what will show the change worked, the
numbers and words collected along the way, the reviews that read them, the final decision,
and the benefits case set against the plan's costs.

Progress to target and the RAG status are not stored: evaluation.rules computes them, in one
place, from the KPI's baseline, target and measurements.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from oakview.core.models import TimeStamped, Versioned


class KPI(TimeStamped, Versioned):
    """A key performance indicator: one measure of success, with where it starts and where
    the plan means it to be by when."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", "Quantitative"
        QUALITATIVE = "qualitative", "Qualitative"

    class Dimension(models.TextChoices):
        TECHNICAL = "technical", "Technical success"
        CULTURAL = "cultural", "Cultural adaptation"
        RESIDENT = "resident", "Resident outcome"
        FINANCIAL = "financial", "Financial"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        MILESTONES = "milestones", "At milestones (before go-live, one and three months)"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="kpis")
    objective = models.ForeignKey(
        "plans.Objective",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name="SMART objective it measures",
    )
    name = models.CharField(max_length=200)
    description = models.TextField("how it is measured", blank=True, max_length=2000)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.QUANTITATIVE)
    dimension = models.CharField(max_length=20, choices=Dimension, default=Dimension.TECHNICAL)
    unit = models.CharField(max_length=60, help_text="What a value counts: %, minutes per shift, per 1,000 administrations.")
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.HIGHER)
    lowest = models.DecimalField(
        "lowest possible value", max_digits=12, decimal_places=2, default=Decimal("0"), help_text="Values below are refused."
    )
    highest = models.DecimalField(
        "highest possible value",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Values above are refused (100 for a percentage). Blank: no upper limit.",
    )
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField("baseline measured on", null=True, blank=True)
    baseline_source = models.CharField("where the baseline comes from", max_length=300, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_date = models.DateField("target date", null=True, blank=True)
    data_source = models.CharField("data source", max_length=300, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency, default=Frequency.WEEKLY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_kpis"
    )
    standards = models.ManyToManyField("core.Standard", blank=True, related_name="+")
    # Read from another part instead of typed in ("stakeholders.supportive_share"): its
    # points are this KPI's measurements.
    series_ref = models.CharField("read from", max_length=100, blank=True)
    library_key = models.CharField(max_length=60, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [
            models.CheckConstraint(
                condition=Q(highest__isnull=True) | Q(highest__gt=models.F("lowest")), name="evaluation_kpi_range_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    """One reading of a KPI on one day (one a day: a second is a correction of the first)."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["kpi", "date"], name="evaluation_measurement_one_per_day")]
        indexes = [models.Index(fields=["kpi", "date"])]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.date}: {self.value}"


class Evidence(TimeStamped, Versioned):
    """Qualitative evidence: what people said or were seen to do, with its themes."""

    class Source(models.TextChoices):
        STAFF = "staff", "Staff"
        RESIDENT = "resident", "Resident"
        FAMILY = "family", "Family"
        PROFESSIONAL = "professional", "Visiting professional"

    class Method(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        SURVEY = "survey", "Survey"
        FOCUS_GROUP = "focus_group", "Focus group"
        OBSERVATION = "observation", "Observation"
        FEEDBACK = "feedback", "Feedback"

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", "Positive"
        MIXED = "mixed", "Mixed"
        NEUTRAL = "neutral", "Neutral"
        NEGATIVE = "negative", "Negative"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="evaluation_evidence")
    kpi = models.ForeignKey(KPI, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence")
    source = models.CharField(max_length=20, choices=Source)
    method = models.CharField(max_length=20, choices=Method)
    date = models.DateField()
    summary = models.TextField(max_length=3000)
    quotes = models.TextField(blank=True, max_length=3000, help_text="One quote a line, without names.")
    themes = models.CharField(max_length=300, blank=True, help_text="Comma-separated: training time, night shift, trust.")
    sentiment = models.CharField(max_length=20, choices=Sentiment, default=Sentiment.NEUTRAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.summary[:60]

    @property
    def theme_list(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]

    @property
    def quote_list(self) -> list[str]:
        return [q.strip() for q in self.quotes.splitlines() if q.strip()]


class Review(TimeStamped, Versioned):
    """A look at every KPI at one point: go-live checks, monthly reviews, and the
    three-month evaluation, which carries the final decision."""

    class Kind(models.TextChoices):
        DAILY = "daily", "Go-live daily check"
        WEEKLY = "weekly", "Weekly check"
        MONTHLY = "monthly", "Monthly review"
        FINAL = "final", "Three-month evaluation"

    class Decision(models.TextChoices):
        # The same values as plans.Plan.Outcome: the decision closes the plan.
        EMBED = "embed", "Embed"
        ADJUST = "adjust", "Adjust"
        EXTEND = "extend", "Extend"
        REVERT = "revert", "Revert"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="evaluation_reviews")
    kind = models.CharField(max_length=20, choices=Kind)
    held_on = models.DateField()
    summary = models.TextField("what the review found", blank=True, max_length=5000)
    decision = models.CharField(max_length=10, choices=Decision, blank=True)
    reasons = models.TextField("reasons for the decision", blank=True, max_length=5000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision="") | Q(kind="final"), name="evaluation_decision_only_at_final"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Finding(models.Model):
    """What one review found about one KPI: the RAG status it read (frozen as it was then)
    and what the reviewers made of it."""

    class Status(models.TextChoices):
        GREEN = "green", "On track"
        AMBER = "amber", "Behind"
        RED = "red", "Off track"
        GREY = "grey", "No measurements"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="findings")
    status = models.CharField(max_length=10, choices=Status)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["kpi__order", "kpi_id"]
        constraints = [models.UniqueConstraint(fields=["review", "kpi"], name="evaluation_finding_one_per_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi_id}: {self.status}"


class AdjustmentLink(models.Model):
    """What triggered an adjustment recorded in the plan's log (a KPI, a review) and the
    effect it had, judged later."""

    adjustment = models.OneToOneField("plans.Adjustment", on_delete=models.CASCADE, related_name="evaluation_link")
    kpi = models.ForeignKey(KPI, on_delete=models.SET_NULL, null=True, blank=True, related_name="adjustment_links")
    review = models.ForeignKey(Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="adjustment_links")
    effect = models.TextField("effect seen", blank=True, max_length=2000)

    def __str__(self) -> str:
        return f"Adjustment {self.adjustment_id}"


class BenefitsCase(TimeStamped, Versioned):
    """The time given back to residents, valued: minutes saved per carer per shift, carer
    shifts a week, and what an hour of care is worth. Expected before approval; the actual
    minutes are tracked after go-live."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="benefits_case")
    minutes_saved_per_shift = models.DecimalField(
        "minutes saved per carer per shift", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    carer_shifts_per_week = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(2000)])
    hour_value = models.DecimalField(
        "value of a care hour (£)", max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    horizon_years = models.PositiveSmallIntegerField(
        "years the return is counted over", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    actual_minutes_saved_per_shift = models.DecimalField(
        "actual minutes saved per carer per shift",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    social_return = models.TextField(
        "the social return", blank=True, max_length=3000, help_text="What the time and safety mean for residents."
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name_plural = "benefits cases"

    def __str__(self) -> str:
        return f"Benefits case for plan {self.plan_id}"


class BenefitLine(TimeStamped, Versioned):
    """An avoided cost (paper, printing, archiving) or a safety outcome (near-misses avoided),
    a year's worth, expected and, once known, actual."""

    class Kind(models.TextChoices):
        AVOIDED_COST = "avoided_cost", "Avoided cost"
        SAFETY = "safety", "Safety outcome"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="benefit_lines")
    kind = models.CharField(max_length=20, choices=Kind)
    description = models.CharField(max_length=300)
    annual_value = models.DecimalField(
        "expected a year (£)", max_digits=11, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    annual_count = models.PositiveIntegerField(
        "events avoided a year", null=True, blank=True, help_text="For a safety outcome: near-misses avoided, say."
    )
    actual_annual_value = models.DecimalField(
        "actual a year (£)", max_digits=11, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.description


class ResidentName(models.Model):
    """The home's list of residents' names, kept only so evidence that names one can be
    flagged before it is saved into a plan that staff, families and assessors read."""

    home = models.ForeignKey("core.CareHome", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["home", "name"], name="evaluation_resident_name_once")]

    def __str__(self) -> str:
        return self.name
