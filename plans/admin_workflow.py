"""Admin for the workflow's records: read-only, because revisions, decisions and the audit
of them change only through plans.workflow (an admin edit would bypass its checks)."""

from __future__ import annotations

from django.contrib import admin

from .models import Adjustment, PlanDecision, PlanExport, PlanRevision, ReviewComment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
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
