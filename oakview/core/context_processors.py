from django.http import HttpRequest

from .access import roles_by_home
from .models import Role


def navigation(request: HttpRequest) -> dict:
    """Which navigation entries to show: they depend on the roles the user holds anywhere."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": frozenset()}
    roles = frozenset(roles_by_home(user).values())
    return {
        "nav_roles": roles,
        "nav_is_manager": Role.MANAGER in roles,
        "nav_is_approver": Role.APPROVER in roles,
        # Viewers are the assessors: the page lists the plans they are assigned (maybe none).
        "nav_is_viewer": Role.VIEWER in roles,
        "nav_has_actions": bool(roles & {Role.MANAGER, Role.STAFF}),
    }
