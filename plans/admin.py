"""Operators' view of plans (superusers only, see oakview.core.admin). Status changes go
through plans.workflow, so the admin shows status read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionUpdate, Driver, Milestone, Objective, Plan, Resource, TrainingSession


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

    def has_delete_permission(self, request, obj=None) -> bool:
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
