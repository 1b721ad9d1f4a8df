"""The workflow box at the top of the plan page: status, readiness, the buttons this user
may press, the revision in force and the latest decision, the timeline."""

from __future__ import annotations

from django.urls import reverse

from oakview.core.dashboard import Panel, register_panel
from oakview.core.models import Role

from . import workflow
from .hooks import PlanPanel, register_plan_panel
from .models import Plan, PlanRevision
from .parts import readiness_problems

# States in which the manager is working towards a (new) submission.
_PREPARING = {Plan.Status.DRAFT, Plan.Status.CHANGES_REQUESTED, Plan.Status.APPROVED, Plan.Status.IN_PROGRESS}


@register_plan_panel
def workflow_panel(request, plan) -> PlanPanel | None:
    user = request.user
    role = getattr(plan, "viewer_role", None)
    revisions = list(plan.revisions.select_related("submitted_by").order_by("-number")[:20])
    latest = revisions[0] if revisions else None
    in_force = next((r for r in revisions if r.status == PlanRevision.Status.APPROVED), None)
    decision = latest.decisions.select_related("approver").first() if latest else None
    buttons = []
    for transition in workflow.allowed_transitions(plan, user):
        if transition.action in (workflow.Action.APPROVE, workflow.Action.REQUEST_CHANGES):
            continue  # decided on the review page, with the revision in front of them
        buttons.append({"label": transition.label, "url": reverse(transition.url_name, args=[plan.pk]), "action": transition.action})
    is_manager = role == Role.MANAGER
    problems = readiness_problems(plan) if is_manager and plan.status in _PREPARING else None
    material = workflow.material_changes(plan) if is_manager and plan.status in (Plan.Status.APPROVED, Plan.Status.IN_PROGRESS) else []
    return PlanPanel(
        "plans/_workflow_panel.html",
        {
            "plan": plan,
            "wf_latest": latest,
            "wf_in_force": in_force,
            "wf_decision": decision,
            "wf_buttons": buttons,
            "wf_problems": problems,
            "wf_blocking": [p for p in problems or [] if p.blocking],
            "wf_material": material,
            "wf_can_review": role in (Role.MANAGER, Role.APPROVER) and latest is not None,
            "wf_awaiting_me": plan.status == Plan.Status.IN_REVIEW and workflow.can(plan, workflow.Action.APPROVE, user),
            "wf_timeline": list(workflow.plan_timeline(plan)[:8]) if role in (Role.MANAGER, Role.APPROVER) else [],
            "wf_show_revisions": latest is not None,
            "wf_is_manager": is_manager,
            "wf_can_adjust": is_manager and plan.status == Plan.Status.IN_PROGRESS,
        },
        slot="top",
        order=0,
    )


@register_panel
def awaiting_review_panel(request, roles: dict[int, str]) -> Panel | None:
    """On an approver's dashboard: the plans waiting for their decision."""
    home_ids = [home for home, role in roles.items() if role == Role.APPROVER]
    if not home_ids:
        return None
    waiting = list(
        Plan.objects.filter(home_id__in=home_ids, status=Plan.Status.IN_REVIEW)
        .exclude(author=request.user)
        .select_related("home")
        .order_by("updated_at")[:10]
    )
    return Panel("plans/_workflow_dashboard.html", {"waiting": waiting}, order=5)
