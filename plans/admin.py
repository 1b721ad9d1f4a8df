"""Operators' view of plans (superusers only, see oakview.core.admin).

Status changes go through plans.services.workflow, so the admin shows status read-only; the
workflow's own records (revisions, decisions, review comments, adjustments, exports) are
read-only too, because an admin edit would bypass its checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    ActionUpdate,
    Adjustment,
    Driver,
    Milestone,
    Objective,
    Plan,
    PlanDecision,
    PlanExport,
    PlanRevision,
    Resource,
    ReviewComment,
    TrainingSession,
)


class _Rows(admin.TabularInline):
    extra = 0
    show_change_link = True


class DriverInline(_Rows):
    model = Driver
    fields = ["kind", "description", "evidence_kind"]


class ActionInline(_Rows):
    model = Action
    fields = ["title", "owner", "due_date", "status"]
    raw_id_fields = ["owner", "milestone"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "home", "status", "author", "start_date", "end_date", "updated_at"]
    list_filter = ["status", "home"]
    search_fields = ["title", "home__name"]
    readonly_fields = ["status", "outcome", "version", "created_at", "updated_at"]
    raw_id_fields = ["author"]
    inlines = [DriverInline, ActionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A submitted plan is a record (its revisions are protected by database triggers), so
        # only a plan that was never submitted may be deleted, one at a time.
        if obj is None:
            return False
        return super().has_delete_permission(request, obj) and not obj.revisions.exists()


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "owner", "due_date", "status"]
    list_filter = ["status", "plan__home"]
    search_fields = ["title", "plan__title"]
    raw_id_fields = ["plan", "owner", "milestone"]
    filter_horizontal = ["standards"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "starts_at", "duration_hours", "backfill_hours"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["attendees"]


for model in (Driver, Objective, Resource, Milestone):
    admin.site.register(model, SimpleHistoryAdmin)


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "author", "status_from", "status_to", "created_at"]
    raw_id_fields = ["action", "author"]


# --- The workflow's records: read-only -------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "status", "submitted_by", "submitted_at"]
    list_filter = ["status", "plan__home"]
    exclude = ["snapshot"]  # large; read it on the revision page


@admin.register(PlanDecision)
class PlanDecisionAdmin(ReadOnlyAdmin):
    list_display = ["revision", "outcome", "approver", "decided_at"]
    list_filter = ["outcome"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["revision", "section", "author", "created_at"]


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["plan", "date", "what_changed", "recorded_by"]


@admin.register(PlanExport)
class PlanExportAdmin(ReadOnlyAdmin):
    # Read-only: the file is downloaded through the app's permission-checked view, and an
    # export is re-run from the revision page, never edited here.
    list_display = ["revision", "status", "requested_by", "page_count", "size", "sha256", "created_at"]
    list_filter = ["status", "revision__plan__home"]
    exclude = ["file"]
