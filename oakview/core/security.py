"""The security event log, the client's address, and the sign-in lockout response.

Django and django-axes announce sign-ins, failures, sign-outs and lockouts through their
own signals; the receivers here (connected in CoreConfig.ready) turn them into
SecurityEvent rows. That is the one place signals are used: these are the framework's
events, not Oakview's domain flow. Everything Oakview itself does (resets, two-step
changes, rate limits, admin actions) calls security_event() directly.
"""

from __future__ import annotations

import ipaddress
import logging
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import SecurityEvent

log = logging.getLogger("oakview.security")

Kind = SecurityEvent.Kind
# The sender the two-step check uses when it reports a wrong code as a failed sign-in
# (so django-axes counts it towards the lockout like a wrong password).
TWO_FACTOR_SENDER = "oakview.core.two_factor"
# Session key: when the signed-in user last made a request (seconds since the epoch).
LAST_SEEN_KEY = "oakview_last_seen"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket's, or behind TRUSTED_PROXY_COUNT proxies the entry
    the outermost trusted proxy appended to X-Forwarded-For (entries before it are the
    client's own word and could be anything)."""
    hops = settings.TRUSTED_PROXY_COUNT
    candidate = request.META.get("REMOTE_ADDR", "")
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def security_event(kind: str, *, request: HttpRequest | None = None, user=None, username: str = "", **detail) -> SecurityEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        path=request.path[:300] if request is not None else "",
        detail=detail,
    )
    log.info("security: %s user=%r ip=%s", kind, event.username, event.ip_address)
    return event


# --- Lockout ------------------------------------------------------------------------------


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Too many failed sign-in attempts for this account or from your network. "
        f"Signing in is paused for {minutes} minutes: try again then, or ask an administrator to unlock it."
    )


def mark_lockout_shown(request: HttpRequest) -> None:
    """A sign-in form has put the lockout message beside itself; lockout_response keeps
    that page (so the person sees the form and the reason) and only sets the status."""
    request.oakview_lockout_shown = True  # type: ignore[attr-defined]


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None, credentials=None) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the sign-in page with the reason, status 429."""
    if original_response is not None and getattr(request, "oakview_lockout_shown", False):
        original_response.status_code = 429
        return original_response
    return render(request, "429.html", {"message": lockout_message()}, status=429)


# --- Receivers for the framework's auth signals ----------------------------------------------


def _on_logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    request.session[LAST_SEEN_KEY] = int(time.time())
    security_event(Kind.SIGN_IN, request=request, user=user, two_step=getattr(user, "otp_device", None) is not None)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # the lockout is recorded by _on_locked_out
    kind = Kind.TWO_FACTOR_FAILED if sender == TWO_FACTOR_SENDER else Kind.SIGN_IN_FAILED
    security_event(kind, request=request, username=str(credentials.get("username", "")))


def _on_logged_out(sender, request, user, **kwargs) -> None:
    if request is None or user is None:
        return
    kind = Kind.IDLE_TIMEOUT if getattr(request, "oakview_idle_timeout", False) else Kind.SIGNED_OUT
    security_event(kind, request=request, user=user)


def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    security_event(Kind.LOCKED_OUT, request=request, username=username or "")


def connect_receivers() -> None:
    """Called once from CoreConfig.ready()."""
    user_logged_in.connect(_on_logged_in, dispatch_uid="oakview-security-logged-in")
    user_login_failed.connect(_on_login_failed, dispatch_uid="oakview-security-login-failed")
    user_logged_out.connect(_on_logged_out, dispatch_uid="oakview-security-logged-out")
    user_locked_out.connect(_on_locked_out, dispatch_uid="oakview-security-locked-out")
