from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEvent, CareHome, Framework, Membership, Standard, User

# The admin is for the platform's operators (superusers) only. Managers, approvers, staff
# and viewers work in the app, where every query is scoped to their homes; the admin is
# not, so it must not be open to them even if someone ticks "staff status".
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser  # type: ignore[method-assign]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["home"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]


@admin.register(CareHome)
class CareHomeAdmin(admin.ModelAdmin):
    list_display = ["name", "beds", "regulator", "location_id", "required_care_hours_per_day", "rostered_care_hours_per_day"]
    list_filter = ["regulator"]
    search_fields = ["name", "location_id"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "home", "role", "job_title"]
    list_filter = ["role", "home"]
    search_fields = ["user__username", "user__last_name", "home__name"]
    autocomplete_fields = ["user", "home"]


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "jurisdiction", "current"]
    inlines = [StandardInline]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "group", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "title"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "home", "actor", "action", "summary"]
    list_filter = ["action", "home"]
    search_fields = ["summary"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The audit trail is evidence for a regulator: nobody deletes it from the UI.
        return False
