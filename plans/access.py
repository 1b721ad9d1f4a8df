"""Object access for plans and their rows. Call first in every view.

Outside your homes a plan does not exist (404). In your home, reading needs any role;
writing needs the manager role (403 otherwise). The plan comes back with `viewer_role` and
`perms`, a Capabilities object: templates ask `plan.perms.can_export`, never a role's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404

from oakview.core.access import APPROVED_ONLY_ROLES, READ_EXPORT_ROLES, WRITE_ROLES, role_in
from oakview.core.models import Role

from .models import AssessorAssignment, Plan, PlanRevision

__all__ = [
    "Capabilities",
    "capabilities",
    "get_plan_for_assessor",
    "get_plan_for_user",
    "get_row_for_user",
    "is_assigned_assessor",
    "require_approved_for_readers",
]

REVIEW_ROLES = frozenset({Role.MANAGER, Role.APPROVER})
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Capabilities:
    """What the signed-in user may do with one plan: one definition, read by views and templates."""

    role: str | None
    can_manage: bool  # the home's manager: edits the plan, records adjustments, exports
    can_edit: bool  # may change the content now (the manager, and the plan not in review or closed)
    can_review: bool  # reads the review page and every revision, approved or not
    can_decide: bool  # an approver of the home (never on a plan they wrote: the workflow checks)
    can_export: bool  # starts a PDF export of an approved revision
    can_download: bool  # downloads exports
    approved_only: bool  # reads only approved revisions (staff, viewers)


def capabilities(role: str | None, plan: Plan) -> Capabilities:
    manager = role in WRITE_ROLES
    return Capabilities(
        role=role,
        can_manage=manager,
        can_edit=manager and plan.can_edit_content(),
        can_review=role in REVIEW_ROLES,
        can_decide=role == Role.APPROVER,
        can_export=manager,
        can_download=role in READ_EXPORT_ROLES,
        approved_only=role in APPROVED_ONLY_ROLES,
    )


def get_plan_for_user(user: Any, pk: int, *, write: bool = False) -> Plan:
    try:
        plan = Plan.objects.select_related("home", "author").get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404("No such plan.") from None
    role = role_in(user, plan.home_id)
    if role is None:
        raise Http404("No such plan.")
    if write and role not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can change this plan.")
    plan.viewer_role = role
    plan.perms = capabilities(role, plan)
    return plan


def is_assigned_assessor(user: Any, plan: Plan) -> bool:
    """A viewer of the plan's home whom its manager has assigned to assess it."""
    role = getattr(plan, "viewer_role", None) if getattr(plan, "viewer_role", None) is not None else role_in(user, plan.home_id)
    return role == Role.VIEWER and AssessorAssignment.objects.filter(plan=plan, assessor_id=user.pk).exists()


def get_plan_for_assessor(user: Any, pk: int) -> Plan:
    """The plan, for the assessor assigned to it: 404 outside the user's homes, 403 for
    anyone in the home who is not its assigned assessor (a manager never assesses)."""
    plan = get_plan_for_user(user, pk)
    if not is_assigned_assessor(user, plan):
        raise PermissionDenied("Only the assessor assigned to this plan can assess it.")
    return plan


def require_approved_for_readers(plan: Plan) -> None:
    """403 for staff and viewers while the plan has no approved revision in force."""
    if plan.perms.approved_only and not plan.revisions.filter(status=PlanRevision.Status.APPROVED).exists():
        raise PermissionDenied("This plan has not been approved yet.")


def get_row_for_user(user: Any, model: type[M], pk: int, *, write: bool = False) -> M:
    """A plan row (driver, action, risk, ...) through its plan's home."""
    row = model._default_manager.select_related("plan__home").filter(pk=pk).first()
    if row is None:
        raise Http404("Not found.")
    role = role_in(user, row.plan.home_id)  # type: ignore[attr-defined]  # every plan row has .plan
    if role is None:
        raise Http404("Not found.")
    if write and role not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can change this.")
    return row
