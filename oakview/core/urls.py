from django.urls import path

from . import account_views, views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("account/security/", account_views.account_security, name="account-security"),
    path("account/security/app/", account_views.two_factor_setup, name="two-factor-setup"),
    path("account/security/recovery-codes/", account_views.recovery_codes, name="recovery-codes"),
    path("account/security/turn-off/", account_views.two_factor_disable, name="two-factor-disable"),
]
