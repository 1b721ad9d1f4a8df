"""Who may see and change the evaluation, and the reads the pages share.

Managers and approvers read the evaluation in every state; staff and viewers once the plan
is approved (as the risk register and the stakeholder map). The manager changes it; a KPI's
owner, whatever their role, records that KPI's measurements while the plan is being run.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from oakview.core.access import role_in
from oakview.core.models import Role
from plans.access import capabilities, get_plan_for_user
from plans.models import Plan, PlanRevision

from .models import KPI

READABLE_BY_EVERYONE = frozenset({Plan.Status.APPROVED, Plan.Status.IN_PROGRESS, Plan.Status.EVALUATING, Plan.Status.CLOSED})
ALWAYS_READ_ROLES = frozenset({Role.MANAGER, Role.APPROVER})
NOT_YET = "The evaluation is shared with staff and viewers once the plan is approved."
# Measurements are the plan being run, not its content: they go on while a revision is in
# review, and stop when the plan is closed.
MEASURING_STATES = frozenset(set(Plan.Status.values) - {Plan.Status.CLOSED})


# A plan approved once and now with the approver again (or sent back) is still run under
# its approved revision: staff keep recording their measurements.
RESUBMITTED = frozenset({Plan.Status.IN_REVIEW, Plan.Status.CHANGES_REQUESTED})


def can_read(role: str | None, plan: Plan) -> bool:
    if role is None:
        return False
    if role in ALWAYS_READ_ROLES or plan.status in READABLE_BY_EVERYONE:
        return True
    return plan.status in RESUBMITTED and plan.revisions.filter(status=PlanRevision.Status.APPROVED).exists()


def get_eval_plan(user: Any, plan_id: int, *, write: bool = False) -> Plan:
    """404 outside the user's homes; 403 for staff and viewers before approval, and on
    writes for anyone but the manager."""
    plan = get_plan_for_user(user, plan_id, write=write)
    if not can_read(plan.viewer_role, plan):
        raise PermissionDenied(NOT_YET)
    return plan


def get_kpi(user: Any, pk: int, *, write: bool = False) -> KPI:
    kpi = KPI.objects.select_related("plan__home", "plan__author", "owner").filter(pk=pk).first()
    if kpi is None:
        raise Http404("Not found.")
    role = role_in(user, kpi.plan.home_id)
    if role is None:
        raise Http404("Not found.")
    if not can_read(role, kpi.plan):
        raise PermissionDenied(NOT_YET)
    if write and role != Role.MANAGER:
        raise PermissionDenied("Only the home's manager can change this KPI.")
    kpi.plan.viewer_role = role
    kpi.plan.perms = capabilities(role, kpi.plan)
    return kpi


def can_measure(user: Any, kpi: KPI) -> bool:
    """The manager, or the KPI's owner while they belong to the home, while the plan runs
    and the KPI is typed in (not read from another part)."""
    if kpi.series_ref or kpi.plan.status not in MEASURING_STATES:
        return False
    role = role_in(user, kpi.plan.home_id)
    if role is None:
        return False
    return role == Role.MANAGER or (kpi.owner_id == user.pk and role != Role.VIEWER)


def get_kpi_to_measure(user: Any, pk: int) -> KPI:
    kpi = get_kpi(user, pk)
    if not can_measure(user, kpi):
        raise PermissionDenied("Only the KPI's owner or the manager records its measurements, while the plan runs.")
    return kpi
