"""The rules every write to a plan's content shares: the plan locked and editable, people
from the plan's home, dates inside the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from oakview.core.formats import long_date
from oakview.core.models import Membership, User
from plans.models import Plan


class PlanLocked(Exception):
    """The plan's content cannot change in its current state."""

    def __init__(self, plan: Plan) -> None:
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

    @property
    def refused_save(self) -> str:
        """What a form says when a save is refused because the plan locked while the person
        typed: the form is shown again with their text, and this says why."""
        if self.plan.status == Plan.Status.IN_REVIEW:
            return (
                "Not saved: the plan was submitted for review while you were editing, so its content "
                "cannot be changed now. Your text is below: copy what you want to keep, and ask for the "
                "plan back (changes requested) to edit it."
            )
        return f"Not saved: {self} Your text is below so you can keep a copy."


def locked_plan(plan_id: int) -> Plan:
    """The plan row, locked for the transaction, checked editable.

    Locking the plan row serialises content writes with submission: a row cannot slip in
    after the approver's snapshot is taken.
    """
    plan: Plan = Plan.objects.select_for_update().select_related("home").get(pk=plan_id)
    if not plan.can_edit_content():
        raise PlanLocked(plan)
    return plan


def history_by(obj: Any, by: User | None) -> None:
    # simple-history takes the user from the request middleware; outside a request (demo,
    # shell, tasks) it needs telling.
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by


def member_ids(home_id: int) -> set[int]:
    return set(Membership.objects.filter(home_id=home_id).values_list("user_id", flat=True))


def check_member(*, home_id: int, user: User | None, field: str) -> None:
    if user is not None and not Membership.objects.filter(home_id=home_id, user=user).exists():
        raise ValidationError(
            {
                field: f"{user.display_name} is not a member of this home, so cannot be given this. Choose someone from the home's team."
            }
        )


# A change plan runs months, at most a few years: a longer span is a typing slip (9999 for
# 2027), and every day of it costs work on the plan page (the care-hours cover).
MAX_PLAN_YEARS = 5


def check_dates(*, start: dt.date | None, go_live: dt.date | None, end: dt.date | None) -> None:
    errors = {}
    if start and end and (end - start).days > MAX_PLAN_YEARS * 366:
        errors["end_date"] = (
            f"A plan runs at most {MAX_PLAN_YEARS} years: choose an end date within {MAX_PLAN_YEARS} years of the start."
        )
    if start and go_live and (go_live - start).days > MAX_PLAN_YEARS * 366:
        errors["go_live_date"] = f"Go-live must be within {MAX_PLAN_YEARS} years of the start."
    if start and go_live and go_live < start:
        errors["go_live_date"] = "Go-live must be on or after the start date."
    if go_live and end and end < go_live:
        errors["end_date"] = "The end date must be on or after go-live."
    elif start and end and end < start and "end_date" not in errors:
        errors["end_date"] = "The end date must be on or after the start date."
    if errors:
        raise ValidationError(errors)


def check_in_plan(*, plan: Plan, day: dt.date | None, field: str, what: str = "The date") -> None:
    if day is None:
        return
    if plan.start_date and day < plan.start_date:
        raise ValidationError({field: f"{what} is before the plan starts ({long_date(plan.start_date)})."})
    if plan.end_date and day > plan.end_date:
        raise ValidationError({field: f"{what} is after the plan ends ({long_date(plan.end_date)})."})
