"""Who may see and do what. Every view asks here first.

A user's reach is the set of homes they hold a Membership in. Outside those homes an
object does not exist for them (404); inside, a role that may not do the thing gets 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import CareHome, Membership, Role

# Roles that may change a home's plans and their records.
WRITE_ROLES = frozenset({Role.MANAGER})
# Roles that read a plan only once it has an approved revision (DESIGN: staff see "the
# approved plan summary"; viewers have "read-only access to approved revisions"), so a
# draft in the making never reaches an assessor.
APPROVED_ONLY_ROLES = frozenset({Role.STAFF, Role.VIEWER})
# Roles that may read approved revisions and download their exports.
READ_EXPORT_ROLES = frozenset({Role.MANAGER, Role.APPROVER, Role.VIEWER})


def roles_by_home(user) -> dict[int, str]:
    """{home_id: role} for the user, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_oakview_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("home_id", "role"))
        user._oakview_roles = cached
    return cached


def role_in(user, home_id: int) -> str | None:
    return roles_by_home(user).get(home_id)


def homes_with_role(user, roles: Iterable[str]) -> list[int]:
    wanted = set(roles)
    return [home_id for home_id, role in roles_by_home(user).items() if role in wanted]


def require_role(user, home_id: int, roles: Iterable[str]) -> str:
    """The user's role in the home; 404 if they are not a member, 403 if the role is wrong."""
    role = role_in(user, home_id)
    if role is None:
        raise Http404("No such home.")
    if role not in set(roles):
        raise PermissionDenied("Your role in this home does not allow this.")
    return role


def get_home_for_user(user, pk: int, *, roles: Iterable[str] | None = None) -> CareHome:
    if role_in(user, pk) is None:
        raise Http404("No such home.")
    if roles is not None:
        require_role(user, pk, roles)
    return CareHome.objects.get(pk=pk)


def is_member(user, home_id: int) -> bool:
    return role_in(user, home_id) is not None
