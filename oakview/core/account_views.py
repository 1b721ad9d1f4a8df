"""Signing in (password, then a two-step code when the account has one), account security
(setting up the authenticator app, recovery codes) and the password views that log events."""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from . import two_factor
from .forms import SignInForm, TwoStepCodeForm
from .models import SecurityEvent
from .security import lockout_message, security_event

PENDING_KEY = "oakview_two_step_pending"
PENDING_SECONDS = 5 * 60
Kind = SecurityEvent.Kind


# --- Sign in -----------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in with the lockout message; a confirmed authenticator app adds a step."""

    form_class = SignInForm

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_two_factor(user):
            return super().form_valid(form)
        # Not signed in yet: the password was right, the code is still to come.
        self.request.session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "since": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("login-code")


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, "Sign in again: the code has to follow the password within five minutes.")
        return redirect("login")
    form = TwoStepCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, form)
        try:
            device = two_factor.verify_second_factor(user, form.cleaned_data["code"], request=request)
            problem = "That code is not right. Try the newest code from your app, or a recovery code."
        except two_factor.CodeThrottled as throttled:
            device, problem = None, str(throttled)
        if device is not None:
            del request.session[PENDING_KEY]
            user.otp_device = device  # django-otp marks the session verified when login() runs
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"] if _safe(request, pending["next"]) else reverse("core:dashboard"))
        two_factor.report_wrong_code(request, user)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, form)
        form.add_error("code", problem)
        status = 400
    return render(request, "registration/login_code.html", {"form": form}, status=status)


def _locked_out(request: HttpRequest, form) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    form.add_error(None, lockout_message())
    return render(request, "registration/login_code.html", {"form": form, "locked_out": True}, status=429)


def _safe(request: HttpRequest, url: str) -> bool:
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())


# --- Password views that record what happened ---------------------------------------------------


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        security_event(Kind.PASSWORD_RESET, request=self.request, user=form.user)
        return response


class ChangePasswordView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        security_event(Kind.PASSWORD_CHANGED, request=self.request, user=form.user)
        return response


# --- Account security ---------------------------------------------------------------------------


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/account_security.html",
        {
            "offered": two_factor.two_factor_offered(user),
            "enabled": two_factor.has_two_factor(user),
            "codes_left": two_factor.recovery_codes_left(user),
        },
    )


def _require_offered(user) -> None:
    if not two_factor.two_factor_offered(user):
        raise PermissionDenied("Two-step verification is for managers, approvers and administrators.")


@login_required
@sensitive_post_parameters("code")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    _require_offered(request.user)
    device = two_factor.setup_device(request.user)
    form = TwoStepCodeForm(request.POST or None)
    form.fields["code"].help_text = "The six-digit code your app shows for Oakview."
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_enable(
                user=request.user, device_id=device.pk, code=form.cleaned_data["code"], request=request
            )
        except two_factor.WrongCode as error:
            form.add_error("code", str(error))
        else:
            device.refresh_from_db()
            otp_login(request, device)  # this session proved a code: it counts as verified
            messages.success(request, "Two-step verification is on. You will be asked for a code each time you sign in.")
            return render(request, "core/recovery_codes.html", {"codes": codes, "first_time": True})
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "qr": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret_for_typing(device),
        "replacing": two_factor.has_two_factor(request.user),
    }
    return render(request, "core/two_factor_setup.html", context, status=status)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """GET: what replacing the codes means; POST: new codes, shown on this response only."""
    _require_offered(request.user)
    if not two_factor.has_two_factor(request.user):
        return redirect("core:account-security")
    if request.method == "POST":
        codes = two_factor.recovery_codes_replace(user=request.user, request=request)
        return render(request, "core/recovery_codes.html", {"codes": codes, "first_time": False})
    return render(request, "core/recovery_codes_confirm.html")


@login_required
@sensitive_post_parameters("code")
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if not two_factor.has_two_factor(request.user):
        return redirect("core:account-security")
    form = TwoStepCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_disable(user=request.user, code=form.cleaned_data["code"], request=request)
        except two_factor.WrongCode as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, "Two-step verification is off. You sign in with your password only.")
            return redirect("core:account-security")
    status = 400 if form.is_bound else 200
    return render(
        request, "core/two_factor_disable.html", {"form": form, "is_superuser": request.user.is_superuser}, status=status
    )
