"""Every write to a plan's content goes through here: lock, guard, change, then notify.

Views validate input with forms and call these; the demo and the tests call them too, so
the rules (content frozen while in review, owners must belong to the home, no silent
overwrite) hold whoever writes.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oakview.core.locking import StaleEdit, save_versioned
from oakview.core.models import Membership

from . import notifications
from .models import Action, ActionUpdate, Driver, Milestone, Objective, Plan, Resource, TrainingSession

__all__ = ["PlanLocked", "StaleEdit"]

# Plan fields a manager may edit (status and outcome belong to plans.workflow).
PLAN_FIELDS = (
    "title", "summary", "start_date", "go_live_date", "end_date",
    "current_state", "desired_state", "safety_link", "staff_message",
    "narrative_need", "narrative_planning", "narrative_support", "narrative_implementation", "narrative_evaluation",
)


class PlanLocked(Exception):
    """The plan's content cannot change in its current state."""

    def __init__(self, plan: Plan):
        self.plan = plan
        if plan.status == Plan.Status.IN_REVIEW:
            msg = (
                "This plan is with the approver for review, so its content cannot be changed now. "
                "Ask for it back (changes requested) to edit it."
            )
        else:
            msg = (
                f"This plan is {plan.get_status_display().lower()}, so it can no longer change: "
                "it is kept as a record, and its content cannot be changed."
            )
        super().__init__(msg)


def _locked_plan(plan_id: int) -> Plan:
    """The plan row, locked for the transaction, checked editable.

    Locking the plan row serialises content writes with submission: a row cannot slip in
    after the approver's snapshot is taken.
    """
    plan = Plan.objects.select_for_update().select_related("home").get(pk=plan_id)
    if not plan.can_edit_content():
        raise PlanLocked(plan)
    return plan


def _history_by(obj, by) -> None:
    # simple-history takes the user from the request middleware; outside a request (demo,
    # shell, tasks) it needs telling.
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by


def _member_ids(home_id: int) -> set[int]:
    return set(Membership.objects.filter(home_id=home_id).values_list("user_id", flat=True))


def check_member(*, home_id: int, user, field: str) -> None:
    if user is not None and not Membership.objects.filter(home_id=home_id, user=user).exists():
        raise ValidationError({field: f"{user.display_name} is not a member of this home, so cannot be given this. Choose someone from the home's team."})


def check_dates(*, start, go_live, end) -> None:
    errors = {}
    if start and go_live and go_live < start:
        errors["go_live_date"] = "Go-live must be on or after the start date."
    if go_live and end and end < go_live:
        errors["end_date"] = "The end date must be on or after go-live."
    elif start and end and end < start:
        errors["end_date"] = "The end date must be on or after the start date."
    if errors:
        raise ValidationError(errors)


def check_in_plan(*, plan: Plan, day: dt.date | None, field: str, what: str = "The date") -> None:
    if day is None:
        return
    if plan.start_date and day < plan.start_date:
        raise ValidationError({field: f"{what} is before the plan starts ({plan.start_date:%-d %b %Y})."})
    if plan.end_date and day > plan.end_date:
        raise ValidationError({field: f"{what} is after the plan ends ({plan.end_date:%-d %b %Y})."})


# --- Plan -----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    home,
    by,
    title: str,
    summary: str = "",
    start_date: dt.date | None = None,
    go_live_date: dt.date | None = None,
    end_date: dt.date | None = None,
    from_template: bool = False,
) -> Plan:
    check_dates(start=start_date, go_live=go_live_date, end=end_date)
    plan = Plan(
        home=home, author=by, title=title, summary=summary,
        start_date=start_date, go_live_date=go_live_date, end_date=end_date,
    )
    _history_by(plan, by)
    plan.save()
    if from_template:
        from .plan_template import apply_template

        plan = apply_template(plan=plan, by=by)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by, expected_version: int, **fields) -> Plan:
    """Change the editable fields given. The other fields are re-read from the database so a
    concurrent status change (submission) is never written back over."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    fresh = _locked_plan(plan.pk)
    if fresh.version != expected_version:
        raise StaleEdit(fresh)
    for name, value in fields.items():
        setattr(fresh, name, value)
    check_dates(start=fresh.start_date, go_live=fresh.go_live_date, end=fresh.end_date)
    _history_by(fresh, by)
    save_versioned(fresh, expected_version=expected_version)
    return fresh


# --- Rows (drivers, objectives, resources, milestones, actions, training) ------------------


def _validate_row(row, plan: Plan, m2m: dict) -> None:
    if isinstance(row, (Action, Resource)) and row.owner_id:
        check_member(home_id=plan.home_id, user=row.owner, field="owner")
    if isinstance(row, Action):
        check_in_plan(plan=plan, day=row.due_date, field="due_date", what="The due date")
        if row.milestone_id and row.milestone.plan_id != plan.pk:
            raise ValidationError({"milestone": "Choose a milestone of this plan."})
    if isinstance(row, Milestone):
        check_in_plan(plan=plan, day=row.due_date, field="due_date", what="The milestone date")
    if isinstance(row, Objective):
        check_in_plan(plan=plan, day=row.target_date, field="target_date", what="The target date")
    if isinstance(row, TrainingSession) and "attendees" in m2m:
        members = _member_ids(plan.home_id)
        outsiders = [u for u in m2m["attendees"] if u.pk not in members]
        if outsiders:
            names = ", ".join(u.display_name for u in outsiders)
            raise ValidationError({"attendees": f"Not members of this home: {names}."})


@transaction.atomic
def row_save(*, row, by, expected_version: int | None = None, m2m: dict | None = None, notify: bool = True):
    """Create (row.pk is None) or update a plan row, with its many-to-many fields.

    Updating needs the version the editor loaded: a save against a newer version raises
    StaleEdit rather than overwrite someone else's change. A new or changed action owner
    is emailed (after commit) unless notify=False (the demo's seeded assignments).
    """
    m2m = m2m or {}
    plan = _locked_plan(row.plan_id)
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
    _history_by(row, by)
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
def row_delete(*, row, by) -> None:
    _locked_plan(row.plan_id)
    _history_by(row, by)
    row.delete()


def action_create(*, plan: Plan, by, title: str, owner=None, due_date=None, description: str = "",
                  milestone=None, status: str = Action.Status.NOT_STARTED, standards=()) -> Action:
    action = Action(plan=plan, title=title, owner=owner, due_date=due_date, description=description,
                    milestone=milestone, status=status)
    return row_save(row=action, by=by, m2m={"standards": list(standards)} if standards else None)


def training_session_create(*, plan: Plan, by, title: str, starts_at: dt.datetime, duration_hours,
                            attendees=(), backfill_hours=0, trainer: str = "") -> TrainingSession:
    session = TrainingSession(plan=plan, title=title, starts_at=starts_at, duration_hours=duration_hours,
                              backfill_hours=backfill_hours, trainer=trainer)
    return row_save(row=session, by=by, m2m={"attendees": list(attendees)})


def may_update_status(*, action: Action, user, role: str | None) -> bool:
    """The owner (any role) or the home's manager may move an action on."""
    from oakview.core.access import WRITE_ROLES

    return role is not None and (action.owner_id == user.pk or role in WRITE_ROLES)


@transaction.atomic
def action_update_status(*, action: Action, by, status: str, note: str = "", expected_version: int | None = None) -> ActionUpdate | None:
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
        _history_by(fresh, by)
        save_versioned(fresh, expected_version=fresh.version)
    update.full_clean(exclude=["action", "author"])
    update.save()
    action.status, action.version, action.completed_at = fresh.status, fresh.version, fresh.completed_at
    return update


# --- Calendar feed ------------------------------------------------------------------------


def calendar_token_reset(*, user) -> str:
    """A new secret for the user's calendar feed; the old link stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])


ROW_MODELS = {
    "driver": Driver,
    "objective": Objective,
    "resource": Resource,
    "milestone": Milestone,
    "action": Action,
    "training": TrainingSession,
}
