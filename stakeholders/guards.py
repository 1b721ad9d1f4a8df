"""The shared steps of this app's services: lock the plan, collect every problem beside
its field, check people and dates against the plan, save (versioned), delete, audit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from oakview.core.audit import audit_record
from oakview.core.formats import long_date
from oakview.core.locking import save_versioned
from oakview.core.models import Membership, User
from plans.models import Plan
from plans.services import PlanLocked  # one lock rule and one message for every part of a plan


def locked_plan(plan_id: int) -> Plan:
    # Locking the plan row serialises these writes with submission: nothing slips in after
    # the approver's snapshot is taken.
    plan = Plan.objects.select_for_update().select_related("home").get(pk=plan_id)
    if not plan.can_edit_content():
        raise PlanLocked(plan)
    return plan


def history_by(obj, by) -> None:
    # simple-history takes the user from the request; the demo, shell and tests must say.
    if getattr(by, "is_authenticated", False):
        obj._history_user = by


def audit(plan: Plan, by, action: str, summary: str, target=None, detail: dict | None = None) -> None:
    audit_record(home_id=plan.home_id, actor=by, action=f"stakeholders.{action}", summary=summary, target=target, detail=detail)


def member_ids(plan: Plan) -> set[int]:
    return set(Membership.objects.filter(home_id=plan.home_id).values_list("user_id", flat=True))


class Errors(dict):
    """Field -> message, collected so every problem is shown at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def check_member(errors: Errors, plan: Plan, user, field: str, members: set[int] | None = None) -> None:
    if user is not None and user.pk not in (members if members is not None else member_ids(plan)):
        errors.add(field, f"{user.display_name} is not a member of {plan.home.name}: choose someone from the home's team.")


def check_in_plan(errors: Errors, plan: Plan, day: dt.date | None, field: str, what: str, *, past_only: bool = False) -> None:
    if day is None:
        return
    if plan.start_date and day < plan.start_date:
        errors.add(field, f"{what} is before the plan starts ({long_date(plan.start_date)}).")
    elif plan.end_date and day > plan.end_date:
        errors.add(field, f"{what} is after the plan ends ({long_date(plan.end_date)}).")
    elif past_only and day > timezone.localdate():
        errors.add(field, f"{what} cannot be in the future.")


def save(obj, *, by, plan: Plan, errors: Errors, expected_version: int | None = None, exclude=("plan",)) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as e:
        for field, messages in e.message_dict.items():
            errors.add(field, messages[0])
    errors.raise_any()
    history_by(obj, by)
    if obj.pk is None or expected_version is None:
        obj.save()
    else:
        save_versioned(obj, expected_version=expected_version)


def delete(obj, *, by, what: str, label: str) -> None:
    plan = locked_plan(obj.plan_id)
    audit(plan, by, f"{what}.deleted", f"Deleted {label}", detail={"id": obj.pk, "label": label})
    history_by(obj, by)
    obj.delete()


def apply(obj, data: dict) -> None:
    for name, value in data.items():
        setattr(obj, name, value)


def actor(by) -> User | None:
    return by if getattr(by, "is_authenticated", False) else None
