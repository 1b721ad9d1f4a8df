"""plans' panels on the dashboard (oakview.core.dashboard's registry): the plans, my
actions, and for approvers the plans waiting for their decision."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone

from oakview.core.dashboard import Panel, register_panel
from oakview.core.models import Role
from plans import selectors
from plans.models import Action, AssessorAssignment, DriftEpisode, Plan, PlanRevision


@register_panel
def plans_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    home_ids = [h for h, r in roles.items() if r in (Role.MANAGER, Role.APPROVER, Role.VIEWER)]
    if not home_ids:
        return None
    managed = [h for h, r in roles.items() if r == Role.MANAGER]
    plans = selectors.dashboard_plans(request.user, home_ids, progress_for=managed)  # type: ignore[arg-type]  # signed in: a panel runs for members only
    return Panel(
        "plans/_dashboard_plans.html",
        {"plans": plans, "can_create": any(r == Role.MANAGER for r in roles.values()), "today": timezone.localdate()},
        order=10,
    )


@register_panel
def my_actions_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    if not roles:
        return None
    today = timezone.localdate()
    mine = Action.objects.for_owner(request.user).open()
    return Panel(
        "plans/_dashboard_actions.html",
        {"open_count": mine.count(), "overdue_count": mine.overdue(today).count()},
        order=20,
    )


@register_panel
def awaiting_review_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    """On an approver's dashboard: the plans waiting for their decision."""
    home_ids = [home for home, role in roles.items() if role == Role.APPROVER]
    if not home_ids:
        return None
    # With the revision waiting and since when: "waiting 3 days" is what an approver acts on.
    latest = PlanRevision.objects.filter(plan=OuterRef("pk")).order_by("-number")
    waiting = list(
        Plan.objects.filter(home_id__in=home_ids, status=Plan.Status.IN_REVIEW)
        .exclude(author_id=request.user.pk)
        .select_related("home", "author")
        .annotate(submitted_at=Subquery(latest.values("submitted_at")[:1]), revision_number=Subquery(latest.values("number")[:1]))
        .order_by("submitted_at")[:10]
    )
    now = timezone.now()
    for plan in waiting:
        plan.waiting_days = (now - plan.submitted_at).days if plan.submitted_at else 0  # type: ignore[attr-defined]
    return Panel("plans/_workflow_dashboard.html", {"waiting": waiting}, order=5)


@register_panel
def assessments_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    """On a viewer's dashboard: the plans a manager has asked them to assess."""
    home_ids = [home for home, role in roles.items() if role == Role.VIEWER]
    if not home_ids:
        return None
    assigned = list(
        AssessorAssignment.objects.filter(assessor_id=request.user.pk, plan__home_id__in=home_ids)
        .select_related("plan__home")
        .order_by("plan__title")[:10]
    )
    return Panel("plans/assessment/_dashboard_assessments.html", {"assigned": assigned}, order=6)


@register_panel
def drift_panel(request: HttpRequest, roles: dict[int, str]) -> Panel | None:
    """For managers and approvers: the plans that have changed materially since approval
    (their open drift episodes, kept by plans.services.drift). One query."""
    home_ids = [home for home, role in roles.items() if role in (Role.MANAGER, Role.APPROVER)]
    if not home_ids:
        return None
    episodes = list(
        DriftEpisode.objects.filter(plan__home_id__in=home_ids, closed_at__isnull=True)
        .select_related("plan__home", "revision")
        .order_by("opened_at")[:10]
    )
    return Panel("plans/_dashboard_drift.html", {"episodes": episodes}, order=6) if episodes else None
