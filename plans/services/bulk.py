"""Changes to many rows at once: owners and due dates given to the selected actions in one
step, instead of one edit per action (the template's actions all start unassigned)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from oakview.core.models import User
from plans.models import Action, Plan

from .rows import row_save


@transaction.atomic
def actions_bulk_assign(
    *, plan: Plan, by: User, action_ids: list[int], owner: User | None = None, due_date: dt.date | None = None
) -> list[Action]:
    """Give the chosen actions of this plan an owner and/or a due date. Every row is saved
    through row_save (the plan's lock, its rules, history, the owner's e-mail): one refused
    row refuses them all."""
    if owner is None and due_date is None:
        raise ValidationError("Choose an owner or a due date to give the selected actions.")
    actions = list(Action.objects.filter(plan=plan, pk__in=action_ids).order_by("pk"))
    if not actions:
        raise ValidationError("Tick the actions to change first.")
    for action in actions:
        if owner is not None:
            action.owner = owner
        if due_date is not None:
            action.due_date = due_date
        row_save(row=action, by=by, expected_version=action.version)
    return actions
