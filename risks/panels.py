"""The register's panel on the dashboard (the plan page's comes from RiskPart.plan_panels)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from oakview.core.dashboard import Panel, register_panel
from oakview.core.models import Role

from .models import Risk


@register_panel
def overdue_reviews_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    """For managers: risks past their review date, across their homes' plans. One query."""
    home_ids = [home_id for home_id, role in roles.items() if role == Role.MANAGER]
    if not home_ids:
        return None
    today = timezone.localdate()
    per_plan = list(
        Risk.objects.filter(plan__home_id__in=home_ids)
        .overdue(today)
        .values("plan_id", "plan__title", "plan__home__name")
        .annotate(n=Count("id"))
        .order_by("-n", "plan__title")
    )
    return Panel(
        "risks/_dashboard_overdue.html",
        {"plans": per_plan, "total": sum(p["n"] for p in per_plan)},
        order=30,
    )
