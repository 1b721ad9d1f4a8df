"""Every change to a plan's stakeholder map, concerns log, engagement, champions and
communication plan goes through here: lock the plan, check the rules, write, audit.

Views validate input with forms and call these; the demo and the tests call them too, so
the rules (content frozen while in review, people must belong to the home, dates inside
the plan, attendance no higher than invitations, no silent overwrite) hold whoever writes.
Rules about one value live on the model fields; rules that look at the plan live here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from oakview.core.formats import long_date
from oakview.core.locking import StaleEdit
from oakview.core.models import User
from plans.models import Action, Plan, Resource
from plans.services import PlanLocked, action_create, row_save  # one lock rule for every part of a plan; its Action writer

from . import vocab
from .guards import (
    Errors,
    actor,
    apply,
    audit,
    check_in_plan,
    check_member,
    delete,
    locked_plan,
    member_ids,
    save,
)
from .models import AdkarPulse, Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder, StanceChange

__all__ = ["PlanLocked", "StaleEdit"]


def create_plan_action(
    *, plan: Plan, by, title: str, owner=None, due_date: dt.date | None = None, description: str = "", notify: bool = True
) -> Action:
    """The one place this app makes a plan Action (from a concern or an activity's follow-up),
    through plans' own service: it checks the owner is in the home and the due date inside
    the plan (a ValidationError naming `owner` or `due_date`) and tells the owner.
    notify=False is for the demo, whose seeded assignments mail nobody, as plans' own do."""
    if notify:
        return action_create(plan=plan, by=by, title=title, owner=owner, due_date=due_date, description=description)
    return row_save(
        row=Action(plan=plan, title=title, owner=owner, due_date=due_date, description=description), by=by, notify=False
    )


# --- Stakeholders -----------------------------------------------------------------------------


def _check_stakeholder(errors: Errors, plan: Plan, s: Stakeholder) -> None:
    check_member(errors, plan, s.owner, "owner")
    if s.kind == vocab.STAFF_GROUP and not s.shift_pattern:
        errors.add("shift_pattern", "Choose the shifts this group mostly works: the champion cover check needs it.")
    elif s.kind != vocab.STAFF_GROUP and s.shift_pattern:
        errors.add("shift_pattern", "Only staff groups have a shift pattern: leave it blank for this kind of stakeholder.")


def _check_stance_date(errors: Errors, plan: Plan, day: dt.date, after: dt.date | None) -> None:
    if day > timezone.localdate():
        errors.add("stance_changed_on", "A stance change records what has happened, so it cannot be in the future.")
    elif plan.end_date and day > plan.end_date:
        errors.add("stance_changed_on", f"That is after the plan ends ({long_date(plan.end_date)}).")
    elif after and day < after:
        errors.add("stance_changed_on", f"The stance was last recorded on {long_date(after)}; date the change on or after that.")


@transaction.atomic
def stakeholder_create(*, plan_id: int, by, data: dict, stance_on: dt.date | None = None, reason: str = "") -> Stakeholder:
    """Add a stakeholder; their stance as mapped starts the stance history (today, or
    `stance_on` for a mapping made earlier)."""
    plan = locked_plan(plan_id)
    stakeholder = Stakeholder(plan=plan, **data)
    errors = Errors()
    _check_stakeholder(errors, plan, stakeholder)
    stance_on = stance_on or timezone.localdate()
    _check_stance_date(errors, plan, stance_on, None)
    save(stakeholder, by=by, plan=plan, errors=errors)
    StanceChange.objects.create(
        stakeholder=stakeholder,
        stance=stakeholder.stance,
        changed_on=stance_on,
        reason=reason or "First mapped",
        recorded_by=actor(by),
    )
    audit(
        plan,
        by,
        "stakeholder.created",
        f"Added stakeholder '{stakeholder.name}' ({stakeholder.get_stance_display().lower()})",
        stakeholder,
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    stakeholder: Stakeholder,
    by,
    data: dict,
    expected_version: int,
    stance_changed_on: dt.date | None = None,
    stance_reason: str = "",
) -> Stakeholder:
    """Save changes. A new stance is recorded in the history with its date and reason, so the
    supportive share can be traced week by week. Raises StaleEdit on a stale version."""
    plan = locked_plan(stakeholder.plan_id)
    before = Stakeholder.objects.get(pk=stakeholder.pk).stance
    apply(stakeholder, data)
    errors = Errors()
    _check_stakeholder(errors, plan, stakeholder)
    changed = stakeholder.stance != before
    stance_changed_on = stance_changed_on or timezone.localdate()
    if changed:
        last = stakeholder.stance_changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
        _check_stance_date(errors, plan, stance_changed_on, last)
        if not (stance_reason or "").strip():
            errors.add("stance_reason", "Say what moved them: the stance history is how the plan shows resistance falling.")
    save(stakeholder, by=by, plan=plan, errors=errors, expected_version=expected_version)
    if changed:
        change = StanceChange(
            stakeholder=stakeholder,
            stance=stakeholder.stance,
            changed_on=stance_changed_on,
            reason=stance_reason.strip(),
            recorded_by=actor(by),
        )
        change.full_clean(exclude=["stakeholder"])
        change.save()
    summary = f"Changed stakeholder '{stakeholder.name}'"
    if changed:
        summary += f": {vocab.stance(before).name.lower()} to {stakeholder.get_stance_display().lower()}"
    audit(plan, by, "stakeholder.updated", summary, stakeholder)
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, by) -> None:
    delete(stakeholder, by=by, what="stakeholder", label=f"stakeholder '{stakeholder.name}'")


@transaction.atomic
def pulse_record(*, stakeholder: Stakeholder, by, data: dict) -> AdkarPulse:
    plan = locked_plan(stakeholder.plan_id)
    errors = Errors()
    if not stakeholder.is_staff:
        errors.add("__all__", "ADKAR pulses are for staff groups: they measure how ready staff are to work the new way.")
    pulse = AdkarPulse(stakeholder=stakeholder, recorded_by=actor(by), **data)
    check_in_plan(errors, plan, pulse.taken_on, "taken_on", "The date", past_only=True)
    save(pulse, by=by, plan=plan, errors=errors, exclude=("stakeholder", "recorded_by"))
    barrier = pulse.barrier
    audit(
        plan,
        by,
        "pulse.recorded",
        f"ADKAR pulse for '{stakeholder.name}': {'barrier ' + barrier.name.lower() if barrier else 'no barrier'}",
        stakeholder,
    )
    return pulse


@transaction.atomic
def pulse_delete(*, pulse: AdkarPulse, by) -> None:
    plan = locked_plan(pulse.stakeholder.plan_id)
    audit(
        plan,
        by,
        "pulse.deleted",
        f"Deleted the ADKAR pulse of {long_date(pulse.taken_on)} for '{pulse.stakeholder.name}'",
        pulse.stakeholder,
    )
    pulse.delete()


# --- Concerns: you said, we did -------------------------------------------------------------


def _check_concern(errors: Errors, plan: Plan, c: Concern) -> None:
    if c.stakeholder is not None and c.stakeholder.plan_id != plan.pk:
        errors.add("stakeholder", "Choose a stakeholder from this plan's map.")
    check_in_plan(errors, plan, c.raised_on, "raised_on", "The date raised", past_only=True)
    if c.response.strip() and c.responded_on is None:
        c.responded_on = timezone.localdate()
    if c.responded_on:
        if not c.response.strip():
            errors.add("response", "Write the response you gave, or clear the date answered.")
        elif c.raised_on and c.responded_on < c.raised_on:
            errors.add("responded_on", "The answer cannot come before the concern was raised.")
        elif c.responded_on > timezone.localdate():
            errors.add("responded_on", "The date answered cannot be in the future.")
    if c.action_taken.strip() and not c.response.strip():
        errors.add("response", "Say what you told them as well as what you did: “you said, we did” needs both.")
    c.status = c.derived_status()


@transaction.atomic
def concern_create(*, plan_id: int, by, data: dict) -> Concern:
    plan = locked_plan(plan_id)
    concern = Concern(plan=plan, **data)
    errors = Errors()
    _check_concern(errors, plan, concern)
    save(concern, by=by, plan=plan, errors=errors)
    who = concern.stakeholder.name if concern.stakeholder else "someone"
    audit(plan, by, "concern.created", f"Logged a concern from {who}: {concern.text[:120]}", concern)
    return concern


@transaction.atomic
def concern_update(*, concern: Concern, by, data: dict, expected_version: int) -> Concern:
    """Edit the concern, or answer it (response, date, what we did): the status follows."""
    plan = locked_plan(concern.plan_id)
    was = concern.status
    apply(concern, data)
    errors = Errors()
    _check_concern(errors, plan, concern)
    save(concern, by=by, plan=plan, errors=errors, expected_version=expected_version)
    verb = "Answered" if was == Concern.Status.OPEN and concern.status != Concern.Status.OPEN else "Changed"
    audit(
        plan, by, "concern.updated", f"{verb} a concern ({concern.get_status_display().lower()}): {concern.text[:120]}", concern
    )
    return concern


@transaction.atomic
def concern_create_action(
    *, concern: Concern, by, title: str, owner=None, due_date=None, description: str = "", notify: bool = True
) -> Action:
    """A plan action for what we will do about the concern, linked to it."""
    plan = locked_plan(concern.plan_id)
    action = create_plan_action(
        plan=plan,
        by=by,
        title=title,
        owner=owner,
        due_date=due_date,
        notify=notify,
        description=description or f"From a concern: “{concern.text[:300]}”",
    )
    concern.refresh_from_db()
    concern.action = action
    concern.status = concern.derived_status()
    save(concern, by=by, plan=plan, errors=Errors(), expected_version=concern.version)
    audit(plan, by, "concern.action", f"Made action '{action.title}' from a concern", concern)
    return action


@transaction.atomic
def concern_delete(*, concern: Concern, by) -> None:
    delete(concern, by=by, what="concern", label=f"a concern: {concern.text[:100]}")


# --- Engagement activities --------------------------------------------------------------------


def _check_activity(errors: Errors, plan: Plan, a: EngagementActivity, audience: Iterable[Stakeholder] | None) -> None:
    check_member(errors, plan, a.facilitator, "facilitator")
    check_in_plan(errors, plan, a.held_on, "held_on", "The date")
    if a.attended is not None:
        if a.attended > a.invited:
            errors.add("attended", f"{a.attended} attended but only {a.invited} were invited: check both numbers.")
        elif a.held_on and a.held_on > timezone.localdate():
            errors.add("attended", "It has not taken place yet: leave attendance blank until it has.")
    if audience is not None and any(s.plan_id != plan.pk for s in audience):
        errors.add("audience", "Choose the audience from this plan's stakeholders.")


@transaction.atomic
def activity_create(*, plan_id: int, by, data: dict, audience: Iterable[Stakeholder] = ()) -> EngagementActivity:
    plan = locked_plan(plan_id)
    audience = list(audience)
    activity = EngagementActivity(plan=plan, **data)
    errors = Errors()
    _check_activity(errors, plan, activity, audience)
    save(activity, by=by, plan=plan, errors=errors)
    activity.audience.set(audience)
    audit(plan, by, "activity.created", f"Added {activity.get_kind_display().lower()} '{activity.title}'", activity)
    return activity


@transaction.atomic
def activity_update(
    *, activity: EngagementActivity, by, data: dict, expected_version: int, audience: Iterable[Stakeholder] | None = None
) -> EngagementActivity:
    plan = locked_plan(activity.plan_id)
    audience = list(audience) if audience is not None else None
    apply(activity, data)
    errors = Errors()
    _check_activity(errors, plan, activity, audience)
    save(activity, by=by, plan=plan, errors=errors, expected_version=expected_version)
    if audience is not None:
        activity.audience.set(audience)
    audit(plan, by, "activity.updated", f"Changed {activity.get_kind_display().lower()} '{activity.title}'", activity)
    return activity


@transaction.atomic
def activity_add_follow_up(
    *, activity: EngagementActivity, by, title: str, owner=None, due_date=None, description: str = "", notify: bool = True
) -> Action:
    plan = locked_plan(activity.plan_id)
    action = create_plan_action(
        plan=plan,
        by=by,
        title=title,
        owner=owner,
        due_date=due_date,
        notify=notify,
        description=description or f"Follow-up from {activity.get_kind_display().lower()} '{activity.title}'.",
    )
    activity.follow_ups.add(action)
    audit(plan, by, "activity.follow_up", f"Made follow-up action '{action.title}' from '{activity.title}'", activity)
    return action


@transaction.atomic
def activity_delete(*, activity: EngagementActivity, by) -> None:
    delete(activity, by=by, what="activity", label=f"{activity.get_kind_display().lower()} '{activity.title}'")


# --- Change champions -------------------------------------------------------------------------


def people_supported(supports: Iterable[User], groups: Iterable[Stakeholder]) -> int:
    return len(list(supports)) + sum(g.headcount for g in groups)


def _check_champion(errors: Errors, plan: Plan, c: Champion, supports: list[User], groups: list[Stakeholder]) -> None:
    members = member_ids(plan)
    check_member(errors, plan, c.user, "user", members)
    if c.user_id and Champion.objects.filter(plan=plan, user_id=c.user_id).exclude(pk=c.pk).exists():
        errors.add("user", f"{c.user.display_name} is already a champion on this plan: edit that entry instead.")
    outsiders = [u.display_name for u in supports if u.pk not in members]
    if outsiders:
        errors.add(
            "supports", f"Not members of {plan.home.name}: {', '.join(outsiders)}. Champions support colleagues in the home."
        )
    elif c.user_id and any(u.pk == c.user_id for u in supports):
        errors.add("supports", "A champion cannot be paired with themselves.")
    if any(g.plan_id != plan.pk or not g.is_staff for g in groups):
        errors.add("groups", "Choose staff groups from this plan's stakeholder map.")
    people = people_supported(supports, groups)
    if people > (c.max_supported or 0):
        errors.add(
            "supports",
            f"That is {people} people, more than the cap of {c.max_supported}: "
            "pair some with another champion, or raise the cap.",
        )
    resource: Resource | None = c.protected_resource
    if resource is not None and (resource.plan_id != plan.pk or resource.kind != Resource.Kind.HUMAN):
        errors.add("protected_resource", "Choose one of this plan's human resources (staff time).")
    check_in_plan(errors, plan, c.protected_from, "protected_from", "The start of their protected time")
    if c.protected_hours_per_week and resource is None:
        errors.add("protected_resource", "Say which of the plan's resources pays for these protected hours.")


@transaction.atomic
def champion_save(
    *,
    champion: Champion,
    by,
    supports: Iterable[User] = (),
    groups: Iterable[Stakeholder] = (),
    expected_version: int | None = None,
) -> Champion:
    """Create (champion.pk is None) or update a champion and who they support."""
    plan = locked_plan(champion.plan_id)
    champion.plan = plan
    supports, groups = list(supports), list(groups)
    creating = champion.pk is None
    errors = Errors()
    _check_champion(errors, plan, champion, supports, groups)
    save(champion, by=by, plan=plan, errors=errors, expected_version=expected_version)
    champion.supports.set(supports)
    champion.groups.set(groups)
    name = champion.user.display_name
    audit(
        plan,
        by,
        "champion.created" if creating else "champion.updated",
        f"{'Added' if creating else 'Changed'} champion {name} ({champion.get_shift_pattern_display().lower()})",
        champion,
    )
    return champion


@transaction.atomic
def champion_delete(*, champion: Champion, by) -> None:
    delete(champion, by=by, what="champion", label=f"champion {champion.user.display_name}")


# --- Communication plan -----------------------------------------------------------------------


def _check_communication(errors: Errors, plan: Plan, item: CommunicationItem) -> None:
    if item.stakeholder_id and item.stakeholder.plan_id != plan.pk:
        errors.add("stakeholder", "Choose a stakeholder from this plan's map.")
    check_member(errors, plan, item.owner, "owner")
    check_in_plan(errors, plan, item.next_due, "next_due", "The next due date")
    check_in_plan(errors, plan, item.last_sent, "last_sent", "The date last sent", past_only=True)
    if item.last_sent and item.next_due and item.next_due < item.last_sent:
        errors.add("next_due", "The next one is due after the last was sent.")


@transaction.atomic
def communication_save(*, item: CommunicationItem, by, expected_version: int | None = None) -> CommunicationItem:
    plan = locked_plan(item.plan_id)
    item.plan = plan
    creating = item.pk is None
    errors = Errors()
    _check_communication(errors, plan, item)
    save(item, by=by, plan=plan, errors=errors, expected_version=expected_version)
    audit(
        plan,
        by,
        "communication.created" if creating else "communication.updated",
        f"{'Planned' if creating else 'Changed'} a message to {item.stakeholder.name}: {item.message[:100]}",
        item,
    )
    return item


@transaction.atomic
def communication_mark_sent(
    *, item: CommunicationItem, by, sent_on: dt.date, next_due: dt.date | None, expected_version: int
) -> CommunicationItem:
    plan = locked_plan(item.plan_id)
    item.last_sent, item.next_due = sent_on, next_due
    errors = Errors()
    check_in_plan(errors, plan, sent_on, "sent_on", "The date sent", past_only=True)
    if next_due is not None and next_due <= sent_on:
        errors.add("next_due", "The next one is due after this one was sent.")
    _check_communication(errors, plan, item)
    save(item, by=by, plan=plan, errors=errors, expected_version=expected_version)
    audit(plan, by, "communication.sent", f"Sent the message to {item.stakeholder.name}: {item.message[:100]}", item)
    return item


@transaction.atomic
def communication_delete(*, item: CommunicationItem, by) -> None:
    delete(item, by=by, what="communication", label=f"the message to {item.stakeholder.name}")
