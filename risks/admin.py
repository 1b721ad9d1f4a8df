from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Risk, RiskReview


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    autocomplete_fields = ()
    raw_id_fields = ("reviewer",)


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "phase", "status", "inherent_score", "residual_score", "review_date")
    list_filter = ("status", "phase", "category", "plan__home")
    search_fields = ("title", "description", "plan__title")
    raw_id_fields = ("plan", "owner")
    filter_horizontal = ("standards",)
    readonly_fields = ("number", "version")
    inlines = [RiskReviewInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan")
