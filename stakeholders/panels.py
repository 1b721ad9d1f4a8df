"""What this part shows outside its own pages: the managers' dashboard panel (concerns
waiting too long, messages overdue), a champion's duties on My actions, and the lines it
adds to the daily reminder e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oakview.core.access import roles_by_home
from oakview.core.dashboard import Panel, register_panel
from oakview.core.formats import long_date
from oakview.core.models import Membership, Role
from plans.models import Plan

from .models import Champion, CommunicationItem, Concern, EngagementActivity
from .rules import CONCERN_ANSWER_DAYS

_PLAN = ("plan_id", "plan__title", "plan__home__name")


@register_panel
def support_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    """For managers: per plan, concerns open for more than 14 days and communication items
    past their due date, across their homes. Two queries."""
    home_ids = [home_id for home_id, role in roles.items() if role == Role.MANAGER]
    if not home_ids:
        return None
    today = timezone.localdate()
    concerns = _per_plan(Concern.objects.overdue(today).filter(plan__home_id__in=home_ids))
    messages = _per_plan(CommunicationItem.objects.overdue(today).filter(plan__home_id__in=home_ids))
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


def _per_plan(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    """How many of these rows each running plan has, the plan with most first."""
    per_plan = rows.exclude(plan__status=Plan.Status.CLOSED).values(*_PLAN).annotate(n=Count("id"))
    return list(per_plan.order_by("-n", "plan__title"))


def champion_duties(user: Any, *, today: dt.date) -> list[dict[str, Any]]:
    """For a member of staff who is a champion: who they support, per plan, and the plan's
    next engagement activity. Like the actions on My actions, a champion sees their own
    pairing whatever the plan's state (it is their assignment), except on a closed plan and
    outside their homes. One query for someone who is no champion; four for a champion."""
    rows = list(
        Champion.objects.filter(user=user, plan__home_id__in=list(roles_by_home(user)))
        .exclude(plan__status=Plan.Status.CLOSED)
        .select_related("plan__home", "protected_resource")
        .prefetch_related("supports", "groups")
        .order_by("plan__title", "id")
    )
    if not rows:
        return []
    upcoming: dict[int, EngagementActivity] = {}
    activities = EngagementActivity.objects.filter(plan_id__in=[c.plan_id for c in rows], held_on__gte=today)
    for activity in activities.select_related("facilitator").order_by("held_on", "id"):
        upcoming.setdefault(activity.plan_id, activity)
    return [
        {
            "champion": c,
            "plan": c.plan,
            "supports": list(c.supports.all()),
            "groups": list(c.groups.all()),
            "next_activity": upcoming.get(c.plan_id),
        }
        for c in rows
    ]


# --- The daily reminder ----------------------------------------------------------------------


def reminder_lines(today: dt.date) -> dict[int, list[str]]:
    """{user id: lines} for the daily reminder: each overdue message in a communication plan
    for its owner, and for each home's managers the plans whose concerns have waited longer
    than 14 days for an answer. Only running plans, only people still in the plan's home.
    Three queries, whatever the number of plans."""
    lines: dict[int, list[str]] = {}
    for item in _overdue_messages(today):
        if item.owner_id is not None:  # filtered in the query; the check tells the type checker
            lines.setdefault(item.owner_id, []).append(_message_line(item, today))
    waiting = list(
        Concern.objects.overdue(today)
        .exclude(plan__status=Plan.Status.CLOSED)
        .values("plan_id", "plan__title", "plan__home_id", "plan__home__name")
        .annotate(n=Count("id"), oldest=Min("raised_on"))
        .order_by("plan__title", "plan_id")
    )
    if not waiting:
        return lines
    managers: dict[int, list[int]] = {}
    for home_id, user_id in (
        Membership.objects.managers().filter(home_id__in={w["plan__home_id"] for w in waiting}).values_list("home_id", "user_id")
    ):
        managers.setdefault(home_id, []).append(user_id)
    for plan in waiting:
        for user_id in managers.get(plan["plan__home_id"], []):
            lines.setdefault(user_id, []).append(_concerns_line(plan))
    return lines


def _overdue_messages(today: dt.date) -> list[CommunicationItem]:
    return list(
        CommunicationItem.objects.overdue(today)
        .filter(owner__isnull=False, plan__home__memberships__user=F("owner"))
        .exclude(plan__status=Plan.Status.CLOSED)
        .select_related("stakeholder", "plan__home")
        .order_by("next_due", "id")
    )


def _message_line(item: CommunicationItem, today: dt.date) -> str:
    late = (today - item.next_due).days if item.next_due else 0
    message = item.message if len(item.message) <= 80 else item.message[:79].rstrip() + "…"
    return (
        f"Message to {item.stakeholder.name} ({item.get_channel_display().lower()}): “{message}”, "
        f"due {long_date(item.next_due)}, {late} day{'s' if late != 1 else ''} ago "
        f"({item.plan.title}, {item.plan.home.name}): {_absolute(reverse('stakeholders:engagement', args=[item.plan_id]))}"
    )


def _concerns_line(plan: dict[str, Any]) -> str:
    n = plan["n"]
    url = _absolute(reverse("stakeholders:concerns", args=[plan["plan_id"]]) + "?status=overdue")
    return (
        f"{n} concern{'s' if n != 1 else ''} in “{plan['plan__title']}” ({plan['plan__home__name']}) "
        f"{'have' if n != 1 else 'has'} waited over {CONCERN_ANSWER_DAYS} days for an answer, "
        f"the oldest since {long_date(plan['oldest'])}: {url}"
    )


def _absolute(path: str) -> str:
    # A mail is read outside the site, so its links need the site's address (as plans' own mails).
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path
