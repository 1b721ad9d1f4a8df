"""Rate limits for views: at most N requests per client per window, counted in the database.

    @rate_limit("calendar-feed", key=url_kwarg("token"))
    def calendar_feed(request, token): ...

The limit for a scope is settings.RATE_LIMITS[scope], e.g. "3/h" (s, m, h or d), so an
operator can change it without a code change. Stack two decorators to limit by two keys
(per e-mail address and per network). A request over the limit gets the 429 page with a
Retry-After header and is recorded on the security event log.

Counts live in the database rather than Redis: a limit must hold while the broker is down,
and every gunicorn worker must see the same count. Windows are fixed (the count resets at
the start of each), which allows at most twice the limit across a boundary; for the abuse
these limits stop (mail floods, feed scraping) that is enough.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateCounter, SecurityEvent
from .security import client_ip, security_event

KeyFunction = Callable[[HttpRequest], "str | None"]
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """ "3/h" -> (3, 3600); "10/15m" -> (10, 900)."""
    match = _RATE.match(rate)
    if match is None:
        raise ValueError(f"Not a rate: {rate!r} (expected e.g. '3/h' or '10/15m').")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _UNIT_SECONDS[unit]


def rate_hit(scope: str, identity: str, *, limit: int, period: int) -> Verdict:
    """Count one request by `identity` in `scope` and say whether it is within the limit."""
    now = timezone.now()
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % period, tz=UTC)
    digest = salted_hmac("oakview.ratelimit", f"{scope}:{identity}", algorithm="sha256").hexdigest()
    match = {"scope": scope, "digest": digest, "window_start": start}
    with transaction.atomic():
        if not RateCounter.objects.filter(**match).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(**match, expires_at=start + timedelta(seconds=period), count=1)
                # A new window: the scope's finished windows are no longer needed.
                RateCounter.objects.filter(scope=scope, expires_at__lt=now).delete()
            except IntegrityError:  # another request opened the window first
                RateCounter.objects.filter(**match).update(count=F("count") + 1)
        count = RateCounter.objects.filter(**match).values_list("count", flat=True).get()
    retry_after = max(1, math.ceil((start + timedelta(seconds=period) - now).total_seconds()))
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


# --- Keys: who is counted -------------------------------------------------------------------


def by_ip(request: HttpRequest) -> str | None:
    return client_ip(request)


def by_user(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else client_ip(request)


def post_field(name: str) -> KeyFunction:
    """The value of a posted field, case-folded (e-mail addresses)."""

    def key(request: HttpRequest) -> str | None:
        value = request.POST.get(name, "").strip().casefold()
        return value or None

    return key


def url_kwarg(name: str) -> KeyFunction:
    """A captured URL argument, e.g. the calendar feed's token."""

    def key(request: HttpRequest) -> str | None:
        match = request.resolver_match
        value = match.kwargs.get(name) if match is not None else None
        return str(value) if value else None

    return key


# --- The decorator ---------------------------------------------------------------------------

RATE_LIMITED_MESSAGE = "Too many requests. Please wait {wait} and try again."


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def rate_limit(
    scope: str, *, key: KeyFunction = by_ip, methods: tuple[str, ...] = ("POST",), message: str = RATE_LIMITED_MESSAGE
):
    """Limit a function view (or an `as_view()`) to settings.RATE_LIMITS[scope] requests per
    key. Requests whose method is not in `methods`, or whose key is None, are not counted."""
    parse_rate(settings.RATE_LIMITS[scope])  # a missing or malformed rate fails at import, not per request

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                identity = key(request)
                if identity is not None:
                    limit, period = parse_rate(settings.RATE_LIMITS[scope])
                    verdict = rate_hit(scope, identity, limit=limit, period=period)
                    if not verdict.allowed:
                        return _refuse(request, scope, verdict, message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _refuse(request: HttpRequest, scope: str, verdict: Verdict, message: str) -> HttpResponse:
    if verdict.count == verdict.limit + 1:  # the first refusal in the window, not every one
        user = getattr(request, "user", None)
        security_event(SecurityEvent.Kind.RATE_LIMITED, request=request, user=user, scope=scope, limit=verdict.limit)
    response = render(request, "429.html", {"message": message.format(wait=_wait_text(verdict.retry_after))}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def purge_expired_counters() -> int:
    deleted, _ = RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
