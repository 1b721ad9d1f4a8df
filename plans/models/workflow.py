"""Records the approval workflow keeps besides revisions and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from plans.snapshot.sections import SECTIONS

SECTION_CHOICES = [(s.key, f"{s.number}. {s.title}") for s in SECTIONS] + [("general", "General")]


class ReviewComment(models.Model):
    """An approver's comment on one section of a submitted revision."""

    revision = models.ForeignKey("plans.PlanRevision", on_delete=models.PROTECT, related_name="comments")
    section = models.CharField(max_length=20, choices=SECTION_CHOICES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    # A comment opens a conversation: replies below it, then resolved (or reopened).
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class CommentReply(models.Model):
    """A reply in a review comment's conversation: the manager answering, the approver
    following up."""

    comment = models.ForeignKey(ReviewComment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Adjustment(models.Model):
    """A change made during implementation that does not need re-approval (a moved training
    date, a swapped trainer). Budget, go-live date and objectives are not adjustments: they
    need a new approved revision (see the plan part's drift(), plans.parts.plan)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="adjustments")
    date = models.DateField()
    what_changed = models.TextField(max_length=2000)
    reason = models.TextField("why", max_length=2000)
    impact = models.TextField("impact on the objective", max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.what_changed[:60]


class ReminderLog(models.Model):
    """One row per user per day an overdue reminder went out. The unique constraint is what
    keeps a re-run beat task (or two beat processes) from mailing anyone twice a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    action_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="plans_reminder_one_per_user_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.date}"


class DriftEpisode(models.Model):
    """A spell during which the live plan differs materially from the revision in force
    (each part's drift()): opened when such a change is first seen, when the approvers are
    told once; closed when the plan is back in line or a newer revision is approved."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="drift_episodes")
    revision = models.ForeignKey("plans.PlanRevision", on_delete=models.PROTECT, related_name="+")
    messages = models.JSONField(default=list)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(closed_at__isnull=True), name="plans_drift_one_open_episode"
            )
        ]

    def __str__(self) -> str:
        return f"Drift on plan {self.plan_id} since {self.opened_at:%Y-%m-%d}"
