"""PDF exports of approved revisions, rendered by a Celery worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from oakview.core.models import TimeStamped


class PlanExportQuerySet(models.QuerySet["PlanExport"]):
    def done(self) -> PlanExportQuerySet:
        return self.filter(status=PlanExport.Status.DONE)

    def reusable(self, revision_id: int, template_version: int) -> PlanExportQuerySet:
        """Finished exports of this revision whose file can be handed out again unchanged."""
        return self.done().filter(revision_id=revision_id, template_version=template_version).exclude(file="")


class PlanExport(TimeStamped):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    revision = models.ForeignKey("plans.PlanRevision", on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    # Stored outside MEDIA_URL's reach: only the permission-checked download view reads it.
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField("size (bytes)", null=True, blank=True)
    error = models.TextField(blank=True, max_length=2000)
    # settings.PDF_TEMPLATE_VERSION when rendered: a newer version means a fresh render.
    template_version = models.PositiveIntegerField()
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PlanExportQuerySet.as_manager()
    # Set by plans.services.export_request: its job waits in the outbox for the broker.
    waiting_for_queue = False

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["revision", "status", "template_version"])]

    def __str__(self) -> str:
        return f"PDF of {self.revision} ({self.get_status_display()})"

    @property
    def in_flight(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def stalled(self) -> bool:
        """Queued or rendering for minutes: no worker is running, or one died mid-job."""
        return self.in_flight and timezone.now() - self.updated_at > dt.timedelta(minutes=3)

    @property
    def filename(self) -> str:
        """What the browser saves it as: oak-view-digital-care-plans-r2.pdf."""
        snap_plan = (self.revision.snapshot or {}).get("plan", {})
        home = snap_plan.get("home", {}).get("name", "")
        stem = slugify(f"{home} {snap_plan.get('title', 'plan')}")[:80] or "plan"
        return f"{stem}-r{self.revision.number}.pdf"
