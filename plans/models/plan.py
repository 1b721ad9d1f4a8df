"""The plan: one operational change at one home, answered in five sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from oakview.core.access import APPROVED_ONLY_ROLES, roles_by_home
from oakview.core.models import TimeStamped, Versioned
from plans.snapshot.sections import Section

from .revisions import PlanRevision

if TYPE_CHECKING:
    from plans.access import Capabilities


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_user(self, user) -> PlanQuerySet:
        """Plans in the homes the user belongs to. Role checks come after, in plans.access."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(home__memberships__user=user)

    def visible_to(self, user) -> PlanQuerySet:
        """Plans the user may open: all of their homes' plans for managers and approvers;
        for staff and viewers only plans with an approved revision in force."""
        roles = roles_by_home(user)
        full = [home for home, role in roles.items() if role not in APPROVED_ONLY_ROLES]
        limited = [home for home, role in roles.items() if role in APPROVED_ONLY_ROLES]
        approved = models.Exists(PlanRevision.objects.filter(plan=models.OuterRef("pk"), status=PlanRevision.Status.APPROVED))
        return self.filter(Q(home_id__in=full) | (Q(home_id__in=limited) & approved))

    def with_home(self) -> PlanQuerySet:
        return self.select_related("home", "author")


class Plan(TimeStamped, Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        IN_PROGRESS = "in_progress", "In progress"
        EVALUATING = "evaluating", "Evaluating"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        EMBED = "embed", "Embed"
        ADJUST = "adjust", "Adjust"
        EXTEND = "extend", "Extend"
        REVERT = "revert", "Revert"

    home = models.ForeignKey("core.CareHome", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_plans")
    # Only plans.services.workflow changes these two.
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True, editable=False)

    start_date = models.DateField(null=True, blank=True)
    go_live_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    # Section 1 structured answers (drivers are rows).
    current_state = models.TextField(blank=True, max_length=5000)
    desired_state = models.TextField(blank=True, max_length=5000)
    safety_link = models.TextField("link to service-user safety", blank=True, max_length=5000)
    staff_message = models.TextField("message for resistant staff", blank=True, max_length=5000)

    # Optional submission details for the PDF's cover, when the manager writes the plan as a
    # qualification case study (e.g. the Level 5 Diploma). Blank fields are left off the cover.
    submission_candidate = models.CharField("candidate name", max_length=200, blank=True)
    submission_qualification = models.CharField("qualification and unit", max_length=300, blank=True)
    submission_centre = models.CharField("centre", max_length=200, blank=True)
    submission_assessor = models.CharField("assessor", max_length=200, blank=True)
    submission_date = models.DateField("submission date", null=True, blank=True)

    # The same, in the order the cover prints them (the form, the service and the snapshot read it).
    SUBMISSION_FIELDS: ClassVar[tuple[str, ...]] = (
        "submission_candidate",
        "submission_qualification",
        "submission_centre",
        "submission_assessor",
        "submission_date",
    )

    # Narratives, Markdown (rendered by markdown-it, sanitised by nh3).
    narrative_need = models.TextField("analysis of need", blank=True, max_length=30000)
    narrative_planning = models.TextField("planning and resources", blank=True, max_length=30000)
    narrative_support = models.TextField("gaining support", blank=True, max_length=30000)
    narrative_implementation = models.TextField("implementation and risk", blank=True, max_length=30000)
    narrative_evaluation = models.TextField("evaluation", blank=True, max_length=30000)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanQuerySet.as_manager()

    # Set by plans.access.get_plan_for_user for whoever asked: their role in the plan's home
    # and what it lets them do here.
    viewer_role: str | None
    perms: Capabilities

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(go_live_date__isnull=True) | Q(start_date__isnull=True) | Q(go_live_date__gte=models.F("start_date")),
                name="plans_plan_go_live_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(go_live_date__isnull=True) | Q(end_date__gte=models.F("go_live_date")),
                name="plans_plan_end_after_go_live",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # Content can change in every state but these: a plan under review is what the approver
    # is reading, and a closed plan is a record. (Approved plans stay editable: the edits
    # become the next revision; the approved one stays in force until a newer is approved.)
    LOCKED_STATES = frozenset({Status.IN_REVIEW, Status.CLOSED})

    def can_edit_content(self) -> bool:
        return self.status not in self.LOCKED_STATES

    def narrative(self, section: Section) -> str:
        return getattr(self, section.narrative_field)
