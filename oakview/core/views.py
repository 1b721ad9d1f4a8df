from __future__ import annotations

import logging

from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import roles_by_home
from .dashboard import panels_for
from .http import AuthedRequest
from .models import Membership
from .outbox import outbox_backlog

log = logging.getLogger("oakview.health")


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    roles = roles_by_home(request.user)
    memberships = Membership.objects.filter(user=request.user).select_related("home")
    return render(
        request,
        "core/dashboard.html",
        {"memberships": memberships, "panels": panels_for(request, roles)},
    )


def _database_status() -> str:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError as exc:
        log.warning("health: database unreachable: %s", exc)
        return "down"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "ok"
    except Exception as exc:  # kombu raises transport-specific errors
        log.warning("health: broker unreachable: %s", exc)
        return "down"


def _outbox_status() -> dict | None:
    try:
        return outbox_backlog()
    except DatabaseError as exc:
        log.warning("health: outbox unreadable: %s", exc)
        return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: public, tells nothing but up/down and how much work
    waits for the broker (a growing outbox backlog means mail is delayed, not lost)."""
    database = _database_status()
    broker = _broker_status()
    ok = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": database,
            "broker": broker,
            "outbox": _outbox_status() if ok else None,
        },
        status=200 if ok else 503,
    )


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
