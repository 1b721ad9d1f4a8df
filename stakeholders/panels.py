"""The dashboard panel: concerns waiting too long for an answer, and messages overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from oakview.core.dashboard import Panel, register_panel
from oakview.core.models import Role
from plans.models import Plan

from .models import CommunicationItem, Concern
from .rules import CONCERN_ANSWER_DAYS


@register_panel
def support_panel(request, roles: dict[int, str]) -> Panel | None:
    """For managers: per plan, concerns open for more than 14 days and communication items
    past their due date, across their homes. Two queries."""
    home_ids = [home_id for home_id, role in roles.items() if role == Role.MANAGER]
    if not home_ids:
        return None
    today = timezone.localdate()
    fields = ("plan_id", "plan__title", "plan__home__name")
    concerns = list(
        Concern.objects.filter(
            plan__home_id__in=home_ids, status=Concern.Status.OPEN, raised_on__lt=today - dt.timedelta(days=CONCERN_ANSWER_DAYS)
        )
        .exclude(plan__status=Plan.Status.CLOSED)
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by("-n", "plan__title")
    )
    messages = list(
        CommunicationItem.objects.overdue(today)
        .filter(plan__home_id__in=home_ids)
        .exclude(plan__status=Plan.Status.CLOSED)
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by("-n", "plan__title")
    )
    return Panel(
        "stakeholders/_dashboard.html",
        {
            "concerns": concerns,
            "messages": messages,
            "days": CONCERN_ANSWER_DAYS,
            "concern_total": sum(c["n"] for c in concerns),
            "message_total": sum(m["n"] for m in messages),
        },
        order=35,
    )
