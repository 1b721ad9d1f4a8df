"""Operators' view of the evaluation records. Managers work in the pages, whose services check
the rules; the admin is for looking things up, fixing the odd record, and keeping the home's
list of residents' names that the evidence check warns about."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import KPI, BenefitLine, BenefitsCase, Evidence, Finding, Measurement, ResidentName, Review


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    raw_id_fields = ("recorded_by",)


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    raw_id_fields = ("kpi",)


@admin.register(KPI)
class KPIAdmin(SimpleHistoryAdmin):
    list_display = ("name", "plan", "kind", "dimension", "baseline", "target", "owner")
    list_filter = ("kind", "dimension", "plan__home")
    search_fields = ("name", "plan__title")
    raw_id_fields = ("plan", "objective", "owner")
    readonly_fields = ("version",)
    inlines = [MeasurementInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("date", "plan", "source", "method", "sentiment")
    list_filter = ("source", "method", "sentiment")
    raw_id_fields = ("plan", "kpi", "recorded_by")
    readonly_fields = ("version",)


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "plan", "kind", "decision")
    list_filter = ("kind", "decision")
    raw_id_fields = ("plan", "decided_by", "recorded_by")
    readonly_fields = ("version",)
    inlines = [FindingInline]


@admin.register(BenefitsCase)
class BenefitsCaseAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "minutes_saved_per_shift", "carer_shifts_per_week", "hour_value")
    raw_id_fields = ("plan",)
    readonly_fields = ("version",)


@admin.register(BenefitLine)
class BenefitLineAdmin(SimpleHistoryAdmin):
    list_display = ("description", "plan", "kind", "annual_value", "actual_annual_value")
    raw_id_fields = ("plan",)
    readonly_fields = ("version",)


@admin.register(ResidentName)
class ResidentNameAdmin(admin.ModelAdmin):
    list_display = ("name", "home")
    list_filter = ("home",)
    search_fields = ("name",)
