from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oakview.core import account_views
from oakview.core import views as core_views
from oakview.core.forms import QueuedPasswordResetForm
from oakview.core.ratelimit import by_ip, post_field, rate_limit

admin.site.site_header = "Oakview administration"
admin.site.site_title = "Oakview admin"

# Reset posts are limited per address typed (one inbox is not flooded) and per network
# (one client does not walk through addresses); each refused post is a 429 page.
password_reset = rate_limit("password-reset-address", key=post_field("email"))(
    rate_limit("password-reset-ip", key=by_ip)(auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm))
)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Django's auth URLs with Oakview's versions first: lockout and two-step at sign-in,
    # rate-limited and queued reset mail, and the events recorded on the security log.
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", account_views.sign_in_code, name="login-code"),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", account_views.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password_change/", account_views.ChangePasswordView.as_view(), name="password_change"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("plans.urls")),
    path("", include("risks.urls")),
    path("", include("stakeholders.urls")),
    path("", include("evaluation.urls")),
    path("", include("oakview.core.urls")),
]

handler403 = "oakview.core.views.error_403"
handler404 = "oakview.core.views.error_404"
handler500 = "oakview.core.views.error_500"
