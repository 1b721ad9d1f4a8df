"""Gaining support (question 3): who has a stake in the change and where they stand, what
they said and what we did, how we engage them, the champions beside them, and what we tell
them when. Every record hangs on a plans.Plan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from oakview.core.formats import short_date
from oakview.core.models import TimeStamped, Versioned

from . import vocab
from .rules import CONCERN_ANSWER_DAYS
from .validators import plain_text

_LEVEL = [MinValueValidator(vocab.MIN_LEVEL), MaxValueValidator(vocab.MAX_LEVEL)]
_TEXT = [plain_text]


def _level_check(field: str, name: str) -> models.CheckConstraint:
    # The form offers 1-5 only; the database refuses a crafted POST, a script or the admin
    # storing a level the grid (and the PDF) could not place.
    return models.CheckConstraint(condition=Q(**{f"{field}__range": (vocab.MIN_LEVEL, vocab.MAX_LEVEL)}), name=name)


class FieldCheck(models.CheckConstraint):
    """A CheckConstraint whose violation is reported beside one field, so a form shows
    "more attended than were invited" under Attended rather than at the top."""

    def __init__(self, *, field: str, **kwargs):
        self.field = field
        super().__init__(**kwargs)

    def validate(self, *args, **kwargs) -> None:
        try:
            super().validate(*args, **kwargs)  # type: ignore[misc]  # Django's, missing from the stubs' CheckConstraint
        except ValidationError as e:
            raise ValidationError({self.field: e.messages}) from e

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs


def _user_fk(related_name: str = "+", **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name=related_name, **kwargs
    )


# --- Stakeholders and their stance ------------------------------------------------------------


class StakeholderQuerySet(models.QuerySet):
    def staff_groups(self) -> StakeholderQuerySet:
        return self.filter(kind=vocab.STAFF_GROUP)

    def resistant(self) -> StakeholderQuerySet:
        return self.filter(stance__in=[s.key for s in vocab.STANCES if s.resistant])

    def high_power(self) -> StakeholderQuerySet:
        return self.filter(power__gte=vocab.HIGH_FROM)

    def in_quadrant(self, key: str) -> StakeholderQuerySet:
        quadrant = vocab.QUADRANT_BY_KEY[key]
        power = Q(power__gte=vocab.HIGH_FROM) if quadrant.high_power else Q(power__lt=vocab.HIGH_FROM)
        interest = Q(interest__gte=vocab.HIGH_FROM) if quadrant.high_interest else Q(interest__lt=vocab.HIGH_FROM)
        return self.filter(power & interest)


class Stakeholder(TimeStamped, Versioned):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(
        "name or group", max_length=200, validators=_TEXT, help_text="A person or a group, e.g. “Night staff” or “Families”."
    )
    kind = models.CharField(max_length=30, choices=vocab.KIND_CHOICES, default=vocab.STAFF_GROUP)
    headcount = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
        help_text="How many people: it weights the share of staff who are supportive.",
    )
    shift_pattern = models.CharField(
        max_length=10, choices=vocab.SHIFT_CHOICES, blank=True, help_text="Staff groups only: the shifts they mostly work."
    )
    power = models.PositiveSmallIntegerField(
        choices=vocab.POWER_CHOICES,
        validators=_LEVEL,
        help_text="How much they can help or block the change.",
        error_messages={"invalid_choice": "Power is scored from 1 (very little) to 5 (decisive)."},
    )
    interest = models.PositiveSmallIntegerField(
        choices=vocab.INTEREST_CHOICES,
        validators=_LEVEL,
        help_text="How much the change affects them or matters to them.",
        error_messages={"invalid_choice": "Interest is scored from 1 (very low) to 5 (very high)."},
    )
    stance = models.CharField(max_length=20, choices=vocab.STANCE_CHOICES, default="neutral")
    concerns = models.TextField("their concerns, in their own words", blank=True, max_length=3000, validators=_TEXT)
    needs_to_hear = models.TextField("what they need to hear", blank=True, max_length=3000, validators=_TEXT)
    strategy = models.TextField("how we will engage them", blank=True, max_length=3000, validators=_TEXT)
    owner = _user_fk("owned_stakeholders")

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            _level_check("power", "stakeholders_stakeholder_power_1_5"),
            _level_check("interest", "stakeholders_stakeholder_interest_1_5"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="stakeholders_stakeholder_headcount_positive"),
            FieldCheck(
                field="shift_pattern",
                condition=Q(kind=vocab.STAFF_GROUP) | Q(shift_pattern=""),
                name="stakeholders_stakeholder_shift_only_for_staff",
                violation_error_message="Only staff groups have a shift pattern: leave it blank for this kind of stakeholder.",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=[s.key for s in vocab.STANCES]), name="stakeholders_stakeholder_stance_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quadrant(self) -> vocab.Quadrant:
        return vocab.quadrant_of(self.power, self.interest)

    @property
    def stance_info(self) -> vocab.Stance:
        return vocab.stance(self.stance)

    @property
    def is_staff(self) -> bool:
        return self.kind == vocab.STAFF_GROUP


class StanceChange(models.Model):
    """A stakeholder's stance from a date, and why: the series behind the supportive share."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="stance_changes")
    stance = models.CharField(max_length=20, choices=vocab.STANCE_CHOICES)
    changed_on = models.DateField("from")
    reason = models.CharField(max_length=300, blank=True, validators=_TEXT)
    recorded_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["stakeholder", "changed_on"])]

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.get_stance_display()} from {short_date(self.changed_on)}"


class AdkarPulse(models.Model):
    """A quick ADKAR reading of a staff group's readiness, each element scored 1-5."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="pulses")
    taken_on = models.DateField("date")
    awareness = models.PositiveSmallIntegerField(validators=_LEVEL)
    desire = models.PositiveSmallIntegerField(validators=_LEVEL)
    knowledge = models.PositiveSmallIntegerField(validators=_LEVEL)
    ability = models.PositiveSmallIntegerField(validators=_LEVEL)
    reinforcement = models.PositiveSmallIntegerField(validators=_LEVEL)
    note = models.CharField(
        max_length=500, blank=True, validators=_TEXT, help_text="How you took the reading, and anything said."
    )
    recorded_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [_level_check(key, f"stakeholders_pulse_{key}_1_5") for key in vocab.ADKAR_KEYS]

    def __str__(self) -> str:
        return f"ADKAR for {self.stakeholder} on {short_date(self.taken_on)}"

    @property
    def scores(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in vocab.ADKAR_KEYS}

    @property
    def barrier(self) -> vocab.AdkarElement | None:
        return vocab.adkar_barrier(self.scores)


# --- You said, we did -------------------------------------------------------------------------


class ConcernQuerySet(models.QuerySet):
    def unanswered_for(self, days: int, today: dt.date) -> ConcernQuerySet:
        return self.filter(status=Concern.Status.OPEN, raised_on__lt=today - dt.timedelta(days=days))

    def overdue(self, today: dt.date) -> ConcernQuerySet:
        return self.unanswered_for(CONCERN_ANSWER_DAYS, today)


class Concern(TimeStamped, Versioned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        ACTED_ON = "acted_on", "Acted on"

    class Channel(models.TextChoices):
        TEAM_MEETING = "team_meeting", "Team meeting"
        LISTENING = "listening_session", "Listening session"
        ONE_TO_ONE = "one_to_one", "One-to-one"
        HUDDLE = "huddle", "Huddle or handover"
        SUGGESTION_BOX = "suggestion_box", "Suggestion box"
        SURVEY = "survey", "Survey"
        WRITTEN = "written", "Email or letter"
        OTHER = "other", "Other"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="concerns")
    # Kept if the stakeholder is later removed from the map: what was said, and the answer,
    # stay in the log.
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="raised_concerns", verbose_name="raised by"
    )
    raised_on = models.DateField("raised on")
    channel = models.CharField("how it was raised", max_length=20, choices=Channel, default=Channel.TEAM_MEETING)
    text = models.TextField(
        "what they said", max_length=2000, validators=_TEXT, help_text="In their own words, as near as you can."
    )
    response = models.TextField("our response", blank=True, max_length=3000, validators=_TEXT)
    responded_on = models.DateField("answered on", null=True, blank=True)
    action_taken = models.TextField(
        "what we did", blank=True, max_length=3000, validators=_TEXT, help_text="What changed because they said it."
    )
    action = models.ForeignKey(
        "plans.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="plan action"
    )
    # Set by the services from the response and the action, never chosen by hand.
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["plan", "status", "raised_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(response="")) | (~Q(status="open") & ~Q(response="")),
                name="stakeholders_concern_answered_has_response",
            ),
            FieldCheck(
                field="responded_on",
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("raised_on")),
                name="stakeholders_concern_answered_after_raised",
                violation_error_message="The answer cannot come before the concern was raised.",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and (today - self.raised_on).days > CONCERN_ANSWER_DAYS

    def derived_status(self) -> str:
        if not self.response.strip():
            return self.Status.OPEN
        if self.action_taken.strip() or self.action_id:
            return self.Status.ACTED_ON
        return self.Status.ANSWERED


# --- Engagement, champions, communication -----------------------------------------------------


class EngagementActivity(TimeStamped, Versioned):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="engagement_activities")
    title = models.CharField(max_length=200, validators=_TEXT)
    kind = models.CharField(max_length=20, choices=vocab.ACTIVITY_KIND_CHOICES, default="workshop")
    held_on = models.DateField("date")
    facilitator = _user_fk()
    audience = models.ManyToManyField(Stakeholder, blank=True, related_name="activities")
    objectives = models.TextField(blank=True, max_length=2000, validators=_TEXT)
    invited = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(null=True, blank=True, help_text="Leave blank until it has taken place.")
    outcome = models.TextField("outcome notes", blank=True, max_length=3000, validators=_TEXT)
    follow_ups = models.ManyToManyField("plans.Action", blank=True, related_name="+", verbose_name="follow-up actions")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name_plural = "engagement activities"
        constraints = [
            FieldCheck(
                field="attended",
                condition=Q(attended__isnull=True) | Q(attended__lte=F("invited")),
                name="stakeholders_activity_attended_le_invited",
                violation_error_message="More attended than were invited: check both numbers.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def attendance_rate(self) -> int | None:
        if self.attended is None or not self.invited:
            return None
        return round(100 * self.attended / self.invited)


class Champion(TimeStamped, Versioned):
    """A member of staff who helps colleagues on their own shifts."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="champions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="champion_roles", verbose_name="champion"
    )
    shift_pattern = models.CharField("works", max_length=10, choices=vocab.SHIFT_CHOICES)
    supports = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supported_by", verbose_name="people they support"
    )
    groups = models.ManyToManyField(Stakeholder, blank=True, related_name="champions", verbose_name="staff groups they support")
    max_supported = models.PositiveSmallIntegerField(
        "cap on people supported",
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Counting each person paired and everyone in the groups chosen.",
    )
    protected_hours_per_week = models.DecimalField(
        "protected hours a week",
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    protected_from = models.DateField(
        "protected time from",
        null=True,
        blank=True,
        help_text="When their protected hours start, e.g. once they have been briefed. Blank: from the plan's start.",
    )
    protected_resource = models.ForeignKey(
        "plans.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="paid from",
        help_text="The plan's resource that pays for the protected hours.",
    )
    note = models.CharField(max_length=300, blank=True, validators=_TEXT)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["shift_pattern", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="stakeholders_champion_once_per_plan"),
            models.CheckConstraint(condition=Q(max_supported__range=(1, 30)), name="stakeholders_champion_cap_1_30"),
            models.CheckConstraint(
                condition=Q(protected_hours_per_week__gte=0) & Q(protected_hours_per_week__lte=40),
                name="stakeholders_champion_hours_0_40",
            ),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def people(self) -> int:
        """Everyone they support: each person paired, and everyone in the groups (from the
        prefetched supports and groups when the caller loaded them)."""
        return len(self.supports.all()) + sum(g.headcount for g in self.groups.all())


class CommunicationQuerySet(models.QuerySet):
    def overdue(self, today: dt.date) -> CommunicationQuerySet:
        return self.filter(next_due__lt=today)


class CommunicationItem(TimeStamped, Versioned):
    class Channel(models.TextChoices):
        TEAM_MEETING = "team_meeting", "Team meeting"
        HANDOVER = "handover", "Handover or huddle"
        NOTICE = "notice", "Notice board"
        NEWSLETTER = "newsletter", "Newsletter"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        ONE_TO_ONE = "one_to_one", "One-to-one"
        PHONE = "phone", "Phone call"
        MEETING = "meeting", "Residents' or families' meeting"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        ONCE = "once", "Once"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        MILESTONE = "milestone", "At each milestone"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="communications")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="communications", verbose_name="to")
    message = models.TextField(max_length=1000, validators=_TEXT)
    channel = models.CharField(max_length=20, choices=Channel, default=Channel.TEAM_MEETING)
    frequency = models.CharField(max_length=20, choices=Frequency, default=Frequency.WEEKLY)
    owner = _user_fk("owned_communications")
    next_due = models.DateField("next due", null=True, blank=True, help_text="Blank once a one-off message has gone.")
    last_sent = models.DateField("last sent", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CommunicationQuerySet.as_manager()

    class Meta:
        ordering = ["next_due", "id"]
        indexes = [models.Index(fields=["plan", "next_due"])]

    def __str__(self) -> str:
        return self.message[:80]

    def is_overdue(self, today: dt.date) -> bool:
        return self.next_due is not None and self.next_due < today
