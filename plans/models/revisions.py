"""Frozen revisions of a plan, and the decisions made on them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class ImmutableRevision(ValidationError):
    pass


class PlanRevisionQuerySet(models.QuerySet["PlanRevision"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRevision("A plan revision cannot be deleted.")


class PlanRevision(models.Model):
    """A numbered, immutable snapshot of the whole plan, taken on submission.

    The snapshot is plain JSON with a schema version (see plans.parts); the review page,
    the diff and the PDF render from it alone, so an approved revision reads the same years
    later whatever happens to the live plan.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SUPERSEDED = "superseded", "Superseded"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    schema = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The plan's status when this was submitted: a revision submitted from "in progress"
    # (a change of budget, go-live date or objectives mid-implementation) returns the plan to
    # "in progress" when decided, rather than to "approved" / "changes requested".
    submitted_from = models.CharField(max_length=20, blank=True, default="")
    # Review state of this revision; the only field that changes after creation.
    status = models.CharField(max_length=20, choices=Status, default=Status.SUBMITTED)

    objects = PlanRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} — revision {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Only the review status may change once a revision exists.
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("number", "schema", "snapshot", "plan_id", "submitted_from", "submitted_by_id")
                .first()
            )
            if stored and (
                stored["snapshot"] != self.snapshot
                or stored["number"] != self.number
                or stored["schema"] != self.schema
                or stored["plan_id"] != self.plan_id
                or stored["submitted_from"] != self.submitted_from
                or stored["submitted_by_id"] != self.submitted_by_id
            ):
                raise ImmutableRevision("A plan revision cannot be changed once submitted.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRevision("A plan revision cannot be deleted.")

    @property
    def is_public(self) -> bool:
        """Staff and viewers read approved revisions only (and those they superseded)."""
        return self.status in (self.Status.APPROVED, self.Status.SUPERSEDED)


class RevisionSeal(models.Model):
    """One row per revision, written by the database when the revision is (migration 0005).

    It is what keeps a revision from being deleted: its foreign key is checked when the
    transaction commits, so a transaction that deletes a revision without its seal fails,
    whatever order it deletes in, and one that removes both on purpose (Django's flush,
    emptying every table for the test runner) passes. See the migration for why this,
    rather than a trigger, guards deletion.
    """

    revision = models.OneToOneField(PlanRevision, on_delete=models.PROTECT, primary_key=True, related_name="+")

    def __str__(self) -> str:
        return f"Seal of revision {self.revision_id}"


class PlanDecision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    revision = models.ForeignKey(PlanRevision, on_delete=models.PROTECT, related_name="decisions")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome)
    comment = models.TextField(blank=True, max_length=5000)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            # One decision per revision: two approvers deciding at once cannot both land.
            models.UniqueConstraint(fields=["revision"], name="plans_decision_one_per_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.revision}"
