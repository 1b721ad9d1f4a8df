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
from django.utils import timezone


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


# --- Security event log --------------------------------------------------------------------


class SecurityEvent(models.Model):
    """Sign-ins, failures, lockouts, resets, two-step changes and admin actions, for the
    operators who investigate an incident. Written by oakview.core.security only; read-only
    in the admin. Unlike AuditEvent it belongs to no home: a failed sign-in has none."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        UNLOCKED = "unlocked", "Sign-in unlocked"
        SIGNED_OUT = "signed_out", "Signed out"
        IDLE_TIMEOUT = "idle_timeout", "Signed out after inactivity"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
        PASSWORD_RESET = "password_reset", "Password reset"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        TWO_FACTOR_ENABLED = "two_factor_enabled", "Two-step verification turned on"
        TWO_FACTOR_DISABLED = "two_factor_disabled", "Two-step verification turned off"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-step code rejected"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        RECOVERY_CODES_REPLACED = "recovery_codes_replaced", "Recovery codes replaced"
        RATE_LIMITED = "rate_limited", "Rate limit reached"
        ADMIN_ACTION = "admin_action", "Admin action"

    kind = models.CharField(max_length=40, choices=Kind, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What was typed or who it was, kept when the account is later deleted.
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username or 'unknown'}"


# --- Rate limits ---------------------------------------------------------------------------


class RateCounter(models.Model):
    """Requests counted per scope, client and fixed time window (oakview.core.ratelimit).
    In the database, not Redis: a rate limit must hold while the broker is down. The client
    is stored as a keyed hash, never the address or e-mail itself."""

    scope = models.CharField(max_length=50)
    digest = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "digest", "window_start"], name="core_ratecounter_one_per_window"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.digest[:8]}: {self.count}"


# --- Transactional outbox ------------------------------------------------------------------


class OutboxMessage(models.Model):
    """A task to run once the change that asked for it has committed (oakview.core.outbox).

    Written in the same transaction as the change, so a rolled-back change sends nothing
    and a committed one is never lost: when the broker is down the row stays pending and
    the beat task dispatches it later."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the task queue"
        SENT = "sent", "Handed to the task queue"
        DONE = "done", "Done"
        FAILED = "failed", "Given up"

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due")]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk} ({self.status})"


# --- Idempotent creates ----------------------------------------------------------------------


class FormSubmission(models.Model):
    """A create form's one-time token, recorded in the transaction that saved its row
    (oakview.core.once): the same form sent twice (a double click, a resent request) finds
    its token taken and adds nothing. Kept a day, then purged by the housekeeping task."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"form {self.token[:8]}…"
