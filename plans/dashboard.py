"""The plans app's dashboard panels."""

from __future__ import annotations

from django.utils import timezone

from oakview.core.dashboard import Panel, register_panel
from oakview.core.models import Role

from .models import Action, Plan


@register_panel
def plans_panel(request, roles: dict[int, str]) -> Panel | None:
    home_ids = [h for h, r in roles.items() if r in (Role.MANAGER, Role.APPROVER, Role.VIEWER)]
    if not home_ids:
        return None
    plans = Plan.objects.visible_to(request.user).filter(home_id__in=home_ids).select_related("home")[:10]
    return Panel(
        "plans/_dashboard_plans.html",
        {"plans": plans, "can_create": any(r == Role.MANAGER for r in roles.values())},
        order=10,
    )


@register_panel
def my_actions_panel(request, roles: dict[int, str]) -> Panel | None:
    if not roles:
        return None
    today = timezone.localdate()
    mine = Action.objects.for_owner(request.user).open()
    return Panel(
        "plans/_dashboard_actions.html",
        {"open_count": mine.count(), "overdue_count": mine.filter(due_date__lt=today).count()},
        order=20,
    )
