from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone

from .forms import AdminSignInForm
from .models import AuditEvent, CareHome, Framework, Membership, OutboxMessage, SecurityEvent, Standard, User
from .security import security_event

# The admin is for the platform's operators (superusers) only. Managers, approvers, staff
# and viewers work in the app, where every query is scoped to their homes; the admin is
# not, so it must not be open to them even if someone ticks "staff status". It can change
# anything, so a password alone is not enough: the session must have passed a two-step code
# (django-otp's is_verified), at the admin's sign-in or at the site's.
admin.site.has_permission = lambda request: (  # type: ignore[method-assign]
    request.user.is_active and request.user.is_superuser and request.user.is_verified()  # type: ignore[attr-defined]
)
admin.site.login_form = AdminSignInForm


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence, not data to edit: nobody adds, changes or deletes it from the UI."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["home"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
    actions = ["unlock_sign_in"]

    @admin.action(description="Unlock sign-in (clear failed attempts for these usernames)")
    def unlock_sign_in(self, request, queryset):
        cleared = 0
        for user in queryset:
            cleared += axes_reset(username=user.get_username())
            security_event(
                SecurityEvent.Kind.UNLOCKED, request=request, username=user.get_username(), by=request.user.get_username()
            )
        self.message_user(
            request,
            f"Sign-in unlocked for {queryset.count()} user(s); {cleared} failed-attempt record(s) cleared.",
            messages.SUCCESS,
        )


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
class AuditEventAdmin(ReadOnlyAdmin):
    # The audit trail is evidence for a regulator: nobody deletes it from the UI.
    list_display = ["created_at", "home", "actor", "action", "summary"]
    list_filter = ["action", "home"]
    search_fields = ["summary"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "username", "ip_address", "path"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """What each admin change was (the security log says who and when)."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message"]
    readonly_fields = [f.name for f in LogEntry._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "task_name", "status", "attempts", "created_at", "next_attempt_at", "last_error"]
    list_filter = ["status", "task_name"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["try_again_now"]

    @admin.action(description="Try again now (waiting and given-up rows)")
    def try_again_now(self, request, queryset):
        count = queryset.filter(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED]).update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} row(s) will be sent by the next dispatch (within a minute).", messages.SUCCESS)
