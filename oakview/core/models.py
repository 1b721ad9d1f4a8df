"""People, homes, memberships, standards reference data and the audit trail."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """Custom from the first migration so fields can be added without surgery later."""

    # Secret for the personal iCalendar feed; blank means the feed is off.
    calendar_token = models.CharField(max_length=64, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    MANAGER = "manager", "Registered Manager"
    APPROVER = "approver", "Approver (senior management)"
    STAFF = "staff", "Staff"
    VIEWER = "viewer", "Viewer (assessor, auditor, inspector)"


class CareHomeQuerySet(models.QuerySet):
    def for_user(self, user) -> CareHomeQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class CareHome(TimeStamped):
    class Regulator(models.TextChoices):
        CQC = "cqc", "Care Quality Commission (England)"
        CARE_INSPECTORATE = "care_inspectorate", "Care Inspectorate (Scotland)"
        CIW = "ciw", "Care Inspectorate Wales"
        RQIA = "rqia", "RQIA (Northern Ireland)"

    name = models.CharField(max_length=200)
    beds = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    regulator = models.CharField(max_length=30, choices=Regulator, default=Regulator.CQC)
    location_id = models.CharField("regulator location ID", max_length=50, blank=True)
    # The home's own dependency tool sets these; there is no national ratio (Reg 18 asks for
    # "sufficient numbers"), so Oakview only compares the two figures it is given.
    required_care_hours_per_day = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    rostered_care_hours_per_day = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )

    objects = CareHomeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(beds__gte=1), name="core_carehome_beds_positive"),
            models.CheckConstraint(
                condition=Q(required_care_hours_per_day__gte=0) & Q(rostered_care_hours_per_day__gte=0),
                name="core_carehome_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def managers(self) -> MembershipQuerySet:
        return self.filter(role=Role.MANAGER)

    def approvers(self) -> MembershipQuerySet:
        return self.filter(role=Role.APPROVER)


class Membership(TimeStamped):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role)
    job_title = models.CharField(max_length=100, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["home__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "home"], name="core_membership_one_per_user_home"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.home}"


# --- Standards reference data -------------------------------------------------------------


class Framework(models.Model):
    """A versioned body of standards, e.g. CQC's quality statements as of 2024.

    CQC is replacing the 34 quality statements (2025-26 consultation), so statements are kept
    per framework version rather than hard-coded; tags on old plans keep pointing at the
    version they were made against.
    """

    code = models.SlugField(max_length=50)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=50)
    description = models.TextField(blank=True)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="core_framework_code_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class StandardQuerySet(models.QuerySet):
    def current(self) -> StandardQuerySet:
        return self.filter(framework__current=True)


class Standard(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="standards")
    code = models.CharField(max_length=30)  # "Reg 12", "SAF-SAFE-1", "SCDLMCA2"
    title = models.CharField(max_length=200)
    group = models.CharField(max_length=100, blank=True)  # key question, headline outcome
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["framework__name", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="core_standard_framework_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


# --- Audit trail ---------------------------------------------------------------------------


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj) -> AuditEventQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class AuditEvent(models.Model):
    """Who did what, when, to which object. Row edits are also kept by simple-history; this
    records the meaningful domain events (transitions, decisions, exports) with their context."""

    home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=50)
    summary = models.CharField(max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.summary


class Versioned(models.Model):
    """Optimistic locking: forms carry the version they were loaded at; a save against a
    newer version is refused (see oakview.core.locking) instead of silently overwriting."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
