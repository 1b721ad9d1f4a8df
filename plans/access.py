"""Object access for plans and their rows. Call first in every view.

Outside your homes a plan does not exist (404). In your home, reading needs any role;
writing needs the manager role (403 otherwise).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from oakview.core.access import APPROVED_ONLY_ROLES, WRITE_ROLES, role_in

from .models import Plan, PlanRevision


def get_plan_for_user(user, pk: int, *, write: bool = False) -> Plan:
    try:
        plan = Plan.objects.select_related("home", "author").get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404("No such plan.") from None
    role = role_in(user, plan.home_id)
    if role is None:
        raise Http404("No such plan.")
    if write and role not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can change this plan.")
    plan.viewer_role = role  # for templates: what may this user do here
    return plan


def require_approved_for_readers(plan: Plan) -> None:
    """403 for staff and viewers while the plan has no approved revision in force."""
    if plan.viewer_role in APPROVED_ONLY_ROLES and not plan.revisions.filter(status=PlanRevision.Status.APPROVED).exists():
        raise PermissionDenied("This plan has not been approved yet.")


def get_row_for_user(user, model, pk: int, *, write: bool = False):
    """A plan row (driver, action, risk, ...) through its plan's home."""
    try:
        row = model.objects.select_related("plan__home").get(pk=pk)
    except model.DoesNotExist:
        raise Http404("Not found.") from None
    role = role_in(user, row.plan.home_id)
    if role is None:
        raise Http404("Not found.")
    if write and role not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can change this.")
    return row
