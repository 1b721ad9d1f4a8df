"""Site-wide request handling: idle sign-out, private caching and browser features, and the
admin's actions on the security log."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from .models import SecurityEvent
from .security import LAST_SEEN_KEY, security_event

# Refresh the "last seen" time at most this often: a session write on every request would
# cost a query per page for nothing.
TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sign out a session idle for more than SESSION_IDLE_TIMEOUT seconds, say why on the
    sign-in page and come back to the page afterwards (a care home's shared computer is
    often left signed in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.SESSION_IDLE_TIMEOUT
        if timeout and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > timeout:
                return self._sign_out(request, timeout)
            if last_seen is None or now - last_seen >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest, timeout: int) -> HttpResponse:
        back_to = _where_they_were(request)
        request.oakview_idle_timeout = True  # type: ignore[attr-defined]  # the sign-out receiver logs it as idle, not chosen
        logout(request)
        minutes = max(1, timeout // 60)
        messages.info(
            request, f"You were signed out after {minutes} minutes without activity. Sign in again to carry on where you were."
        )
        response: HttpResponse = redirect_to_login(back_to)
        if request.headers.get("HX-Request"):
            # htmx would swap the sign-in page into a fragment; make it load the whole page.
            response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
        return response


def _where_they_were(request: HttpRequest) -> str:
    """The page to return to: this one for a GET; for a POST (whose data is gone) the page
    the form was on."""
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parsed = urlparse(referer)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return reverse("core:dashboard")


class PrivatePagesMiddleware:
    """No signed-in page and no download is kept by a browser or proxy cache (a shared
    computer's back button must not show someone's plan), and the browser features the app
    never uses are switched off (Permissions-Policy) on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.permissions_policy = ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition") or "Cookie" in response.get("Vary", ""):
            patch_cache_control(response, no_store=True, private=True)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class AdminAuditMiddleware:
    """Every change an operator makes in the admin goes on the security log (Django's own
    LogEntry misses bulk deletions and custom actions; this sees every admin POST)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and match.namespace == "admin"
            and match.url_name not in ("login", "logout")
            and 300 <= response.status_code < 400  # done and redirected; a 200 is a form or a confirmation
            and request.user.is_authenticated
        ):
            detail: dict[str, Any] = {"view": match.url_name, "status": response.status_code}
            if "object_id" in match.kwargs:
                detail["object_id"] = match.kwargs["object_id"]
            if request.POST.get("action"):
                detail["action"] = request.POST["action"]
                detail["selected"] = request.POST.getlist("_selected_action")[:100]
            security_event(SecurityEvent.Kind.ADMIN_ACTION, request=request, user=request.user, **detail)
        return response
