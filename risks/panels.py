"""The register's panels on the dashboard and on the plan page."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from oakview.core.dashboard import Panel, register_panel
from oakview.core.models import Role
from plans.hooks import PlanPanel, register_plan_panel

from .models import Risk
from .selectors import band_summary, can_read_register


@register_panel
def overdue_reviews_panel(request, roles: dict[int, str]) -> Panel | None:
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


@register_plan_panel
def risk_summary_panel(request, plan) -> PlanPanel | None:
    role = getattr(plan, "viewer_role", None)
    if not can_read_register(role, plan):
        return None
    return PlanPanel(
        "risks/_plan_panel.html",
        {"plan": plan, **band_summary(plan, today=timezone.localdate())},
        slot="implementation",
        order=10,
    )
