"""Operators' view of the stakeholder records. Managers work in the pages, whose services
check the rules; the admin is for looking things up and fixing the odd record."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdkarPulse, Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder, StanceChange


class StanceChangeInline(admin.TabularInline):
    model = StanceChange
    extra = 0
    raw_id_fields = ("recorded_by",)


class PulseInline(admin.TabularInline):
    model = AdkarPulse
    extra = 0
    raw_id_fields = ("recorded_by",)


@admin.register(Stakeholder)
class StakeholderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "plan", "kind", "headcount", "power", "interest", "stance")
    list_filter = ("kind", "stance", "plan__home")
    search_fields = ("name", "plan__title")
    raw_id_fields = ("plan", "owner")
    readonly_fields = ("version",)
    inlines = [StanceChangeInline, PulseInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")


@admin.register(Concern)
class ConcernAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "stakeholder", "raised_on", "status")
    list_filter = ("status", "channel", "plan__home")
    search_fields = ("text", "response", "plan__title")
    raw_id_fields = ("plan", "stakeholder", "action")
    readonly_fields = ("status", "version")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan", "stakeholder")


@admin.register(EngagementActivity)
class EngagementActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "kind", "held_on", "invited", "attended")
    list_filter = ("kind", "plan__home")
    search_fields = ("title", "plan__title")
    raw_id_fields = ("plan", "facilitator", "audience", "follow_ups")
    readonly_fields = ("version",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")


@admin.register(Champion)
class ChampionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "shift_pattern", "max_supported", "protected_hours_per_week")
    list_filter = ("shift_pattern", "plan__home")
    raw_id_fields = ("plan", "user", "supports", "groups", "protected_resource")
    readonly_fields = ("version",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan", "user")


@admin.register(CommunicationItem)
class CommunicationItemAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "stakeholder", "channel", "frequency", "next_due")
    list_filter = ("channel", "frequency", "plan__home")
    search_fields = ("message", "plan__title")
    raw_id_fields = ("plan", "stakeholder", "owner")
    readonly_fields = ("version",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan", "stakeholder")
