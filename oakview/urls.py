from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oakview.core import views as core_views
from oakview.core.forms import QueuedPasswordResetForm

admin.site.site_header = "Oakview administration"
admin.site.site_title = "Oakview admin"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
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
