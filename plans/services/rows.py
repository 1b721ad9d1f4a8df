"""Every write to a plan's rows (drivers, objectives, resources, milestones, actions,
training): lock, guard, change, then notify.

Views validate input with forms and call these; the demo, the tests and other apps call
them too (action_create makes a plan action from another app's record), so the rules hold
whoever writes: content frozen while in review, owners from the home, no silent overwrite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from oakview.core.access import WRITE_ROLES
from oakview.core.locking import StaleEdit, save_versioned
from oakview.core.models import Standard, User
from plans.models import Action, ActionUpdate, Milestone, Objective, Plan, Resource, TrainingSession

from . import notifications
from .guards import PlanLocked, check_in_plan, check_member, history_by, locked_plan, member_ids


def _validate_row(row: Model, plan: Plan, m2m: dict[str, list[Any]]) -> None:
    if isinstance(row, (Action, Resource)) and row.owner_id:
        check_member(home_id=plan.home_id, user=row.owner, field="owner")
    if isinstance(row, Action):
        check_in_plan(plan=plan, day=row.due_date, field="due_date", what="The due date")
        if row.milestone is not None and row.milestone.plan_id != plan.pk:
            raise ValidationError({"milestone": "Choose a milestone of this plan."})
    if isinstance(row, Milestone):
        check_in_plan(plan=plan, day=row.due_date, field="due_date", what="The milestone date")
    if isinstance(row, Objective):
        check_in_plan(plan=plan, day=row.target_date, field="target_date", what="The target date")
    if isinstance(row, TrainingSession) and "attendees" in m2m:
        members = member_ids(plan.home_id)
        outsiders = [u for u in m2m["attendees"] if u.pk not in members]
        if outsiders:
            names = ", ".join(u.display_name for u in outsiders)
            raise ValidationError({"attendees": f"Not members of this home: {names}."})


@transaction.atomic
def row_save(
    *, row: Any, by: User, expected_version: int | None = None, m2m: dict[str, list[Any]] | None = None, notify: bool = True
) -> Any:
    """Create (row.pk is None) or update a plan row, with its many-to-many fields.

    Updating needs the version the editor loaded: a save against a newer version raises
    StaleEdit rather than overwrite someone else's change. A new or changed action owner
    is emailed (after commit) unless notify=False (the demo's seeded assignments).
    """
    m2m = m2m or {}
    plan = locked_plan(row.plan_id)
    row.plan = plan
    _validate_row(row, plan, m2m)
    previous_owner_id = None
    if isinstance(row, Action):
        if row.pk:
            previous_owner_id = Action.objects.filter(pk=row.pk).values_list("owner_id", flat=True).first()
        if row.status == Action.Status.DONE and row.completed_at is None:
            row.completed_at = timezone.now()
        elif row.status != Action.Status.DONE:
            row.completed_at = None
    history_by(row, by)
    if row.pk is None:
        row.save()
    else:
        save_versioned(row, expected_version=expected_version if expected_version is not None else row.version)
    for name, values in m2m.items():
        getattr(row, name).set(values)
    if notify and isinstance(row, Action) and row.owner_id and row.owner_id != previous_owner_id:
        notifications.action_assigned(action=row, by=by)
    return row


@transaction.atomic
def row_delete(*, row: Any, by: User) -> None:
    locked_plan(row.plan_id)
    history_by(row, by)
    row.delete()


def action_create(
    *,
    plan: Plan,
    by: User,
    title: str,
    owner: User | None = None,
    due_date: dt.date | None = None,
    description: str = "",
    milestone: Milestone | None = None,
    status: str = Action.Status.NOT_STARTED,
    standards: Iterable[Standard] = (),
) -> Action:
    """A plan action, with the same checks as the plan page: the way another app turns one of
    its records (a stakeholder's concern, a KPI falling short) into something someone does."""
    action = Action(
        plan=plan, title=title, owner=owner, due_date=due_date, description=description, milestone=milestone, status=status
    )
    saved: Action = row_save(row=action, by=by, m2m={"standards": list(standards)} if standards else None)
    return saved


def training_session_create(
    *,
    plan: Plan,
    by: User,
    title: str,
    starts_at: dt.datetime,
    duration_hours: Decimal,
    attendees: Iterable[User] = (),
    backfill_hours: Decimal = Decimal("0"),
    trainer: str = "",
) -> TrainingSession:
    session = TrainingSession(
        plan=plan, title=title, starts_at=starts_at, duration_hours=duration_hours, backfill_hours=backfill_hours, trainer=trainer
    )
    saved: TrainingSession = row_save(row=session, by=by, m2m={"attendees": list(attendees)})
    return saved


def may_update_status(*, action: Action, user: User, role: str | None) -> bool:
    """The owner (any role) or the home's manager may move an action on."""
    return role is not None and (action.owner_id == user.pk or role in WRITE_ROLES)


@transaction.atomic
def action_update_status(
    *, action: Action, by: User, status: str, note: str = "", expected_version: int | None = None
) -> ActionUpdate | None:
    """Staff move their own actions on and say how it went. Nothing else about the action
    changes, so a carer cannot retitle or reassign it. Returns the update, or None when
    there was nothing to record."""
    plan = Plan.objects.select_for_update().get(pk=action.plan_id)
    # Progress is not content: staff keep moving their actions on while a revised plan is
    # with the approver (the revision under review is a snapshot and does not change). Only
    # a closed plan is a finished record.
    if plan.status == Plan.Status.CLOSED:
        raise PlanLocked(plan)
    fresh = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleEdit(fresh)
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose one of the statuses listed."})
    note = (note or "").strip()
    if status == fresh.status and not note:
        return None
    update = ActionUpdate(action=fresh, author=by, note=note)
    if status != fresh.status:
        update.status_from, update.status_to = fresh.status, status
        fresh.status = status
        fresh.completed_at = timezone.now() if status == Action.Status.DONE else None
        history_by(fresh, by)
        save_versioned(fresh, expected_version=fresh.version)
    update.full_clean(exclude=["action", "author"])
    update.save()
    action.status, action.version, action.completed_at = fresh.status, fresh.version, fresh.completed_at
    return update
