"""Reads for the stakeholder pages and panels, each in a fixed number of queries whatever
the number of rows, and the access rule every page and panel shares."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Lower
from django.http import Http404

from oakview.core.access import role_in
from oakview.core.models import Role
from plans.access import capabilities, get_plan_for_user, get_row_for_user
from plans.models import Action, Plan

from . import rules, vocab
from .charts import GridPoint
from .models import AdkarPulse, Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder, StanceChange

# Staff and viewers see the stakeholder map once the plan is approved, as they do the risk
# register: a draft map (with what people said about colleagues) is the manager's working paper.
READABLE_BY_EVERYONE = frozenset({Plan.Status.APPROVED, Plan.Status.IN_PROGRESS, Plan.Status.EVALUATING, Plan.Status.CLOSED})
ALWAYS_READ_ROLES = frozenset({Role.MANAGER, Role.APPROVER})
NOT_YET = "The stakeholder map is shared with staff and viewers once the plan is approved."


def can_read(role: str | None, plan: Plan) -> bool:
    if role is None:
        return False
    return role in ALWAYS_READ_ROLES or plan.status in READABLE_BY_EVERYONE


def get_support_plan(user, plan_id: int, *, write: bool = False) -> Plan:
    """404 outside the user's homes; 403 for staff and viewers before approval, and on
    writes for anyone but the manager."""
    plan = get_plan_for_user(user, plan_id, write=write)
    if not can_read(plan.viewer_role, plan):
        raise PermissionDenied(NOT_YET)
    return plan


def get_row(user, model, pk: int, *, write: bool = False):
    """A stakeholder, concern, activity, champion or communication, through its plan."""
    row = get_row_for_user(user, model, pk, write=write)
    role = role_in(user, row.plan.home_id)
    if not can_read(role, row.plan):
        raise PermissionDenied(NOT_YET)
    row.plan.viewer_role = role
    row.plan.perms = capabilities(role, row.plan)
    return row


def get_pulse(user, pk: int, *, write: bool = False) -> AdkarPulse:
    pulse = AdkarPulse.objects.select_related("stakeholder__plan__home").filter(pk=pk).first()
    if pulse is None:
        raise Http404("Not found.")
    stakeholder = get_row(user, Stakeholder, pulse.stakeholder_id, write=write)
    pulse.stakeholder = stakeholder
    return pulse


# --- The map ---------------------------------------------------------------------------------

_STANCE_ORDER = Case(*[When(stance=s.key, then=Value(i)) for i, s in enumerate(vocab.STANCES)], output_field=IntegerField())


def grid_points(plan: Plan) -> list[GridPoint]:
    """Every stakeholder as a numbered marker, numbered by name (one query)."""
    rows = Stakeholder.objects.filter(plan=plan).values(
        "id", "name", "power", "interest", "stance", "kind", "headcount", "shift_pattern"
    )
    # Sorted here, not by the database, so the numbers match the snapshot's whatever the collation.
    ordered = sorted(rows, key=lambda r: (r["name"].lower(), r["id"]))
    return [GridPoint.from_row(number, row) for number, row in enumerate(ordered, start=1)]


def map_rows(plan: Plan, filters: dict):
    """The list under the grid, filtered and sorted (a queryset: the view paginates it)."""
    qs = Stakeholder.objects.filter(plan=plan).select_related("owner")
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if quadrant := filters.get("quadrant"):
        qs = qs.in_quadrant(quadrant)
    if stance := filters.get("stance"):
        qs = qs.filter(stance=stance)
    if shift := filters.get("shift"):
        qs = qs.filter(shift_pattern=shift)
    if cell := filters.get("cell"):
        power, interest = (int(n) for n in cell.split("-"))
        qs = qs.filter(power=power, interest=interest)
    name = Lower("name")  # the grid numbers markers by name whatever the case
    orders: dict[str, list[Any]] = {
        "name": [name, "id"],
        "-power": ["-power", "-interest", name, "id"],
        "-interest": ["-interest", "-power", name, "id"],
        "stance": [_STANCE_ORDER.asc(), "-power", name, "id"],
    }
    return qs.order_by(*orders[filters.get("sort") or "name"])


def stance_weeks(plan: Plan, *, today: dt.date) -> list[rules.WeekShare]:
    """The weekly supportive share of staff, to this week (one query for every staff
    group's stance history)."""
    histories: dict[int, tuple[int, list]] = {}
    changes = (
        StanceChange.objects.filter(stakeholder__plan=plan, stakeholder__kind=vocab.STAFF_GROUP)
        .order_by("changed_on", "id")
        .values_list("stakeholder_id", "stakeholder__headcount", "changed_on", "stance")
    )
    for stakeholder_id, headcount, changed_on, stance in changes:
        histories.setdefault(stakeholder_id, (headcount, []))[1].append((changed_on, stance))
    groups = [rules.GroupHistory(headcount, tuple(records)) for headcount, records in histories.values()]
    until = min(today, plan.end_date) if plan.end_date else today
    return rules.weekly_shares(groups, start=plan.start_date, until=until)


def champions(plan: Plan) -> list[Champion]:
    """Champions with who they support: three queries (champions with their user and
    resource, the people they support, the groups they support)."""
    return list(
        Champion.objects.filter(plan=plan)
        .select_related("user", "protected_resource")
        .prefetch_related("supports", Prefetch("groups", queryset=Stakeholder.objects.order_by("name")))
        .order_by("shift_pattern", "user__first_name", "id")
    )


def plan_coverage(points: list[GridPoint], champion_rows: list[Champion]) -> rules.Coverage:
    return rules.coverage(
        groups=[p.as_group() for p in points if p.kind == vocab.STAFF_GROUP],
        champions=[
            {
                "name": c.user.display_name,
                "shift": c.shift_pattern,
                "cap": c.max_supported,
                "people": c.people,
            }
            for c in champion_rows
        ],
    )


def latest_pulses(plan: Plan) -> list[AdkarPulse]:
    """The latest ADKAR pulse of each staff group (one query)."""
    latest: dict[int, AdkarPulse] = {}
    for pulse in AdkarPulse.objects.filter(stakeholder__plan=plan).select_related("stakeholder").order_by("taken_on", "id"):
        latest[pulse.stakeholder_id] = pulse
    return sorted(latest.values(), key=lambda p: p.stakeholder.name)


# --- Engagement and concerns -------------------------------------------------------------------


def activities(plan: Plan):
    return (
        EngagementActivity.objects.filter(plan=plan)
        .select_related("facilitator")
        .prefetch_related(
            Prefetch("audience", queryset=Stakeholder.objects.order_by("name")),
            Prefetch("follow_ups", queryset=Action.objects.select_related("owner")),
        )
        .order_by("-held_on", "-id")
    )


def communications(plan: Plan):
    return (
        CommunicationItem.objects.filter(plan=plan)
        .select_related("stakeholder", "owner")
        .order_by("next_due", "stakeholder__name", "id")
    )


def concern_rows(plan: Plan, filters: dict, *, today: dt.date):
    qs = Concern.objects.filter(plan=plan).select_related("stakeholder", "action__owner")
    status = filters.get("status")
    if status == "overdue":
        qs = qs.overdue(today)
    elif status:
        qs = qs.filter(status=status)
    if stakeholder := filters.get("stakeholder"):
        qs = qs.filter(stakeholder_id=stakeholder)
    return qs.order_by("-raised_on", "-id")


@dataclass(frozen=True)
class Summary:
    stakeholders: int
    staff_by_stance: list[tuple[vocab.Stance, int]]  # headcount of staff in each stance
    supportive_share: float | None
    open_concerns: int
    overdue_concerns: int
    overdue_communications: int
    activities: int
    champions: int
    answer_days: int = rules.CONCERN_ANSWER_DAYS


def summary(plan: Plan, *, today: dt.date) -> Summary:
    """Counts for the plan-page panel and the page headers: three queries."""
    staff: Counter[str] = Counter()
    total = 0
    for stance, headcount, kind in Stakeholder.objects.filter(plan=plan).values_list("stance", "headcount", "kind"):
        total += 1
        if kind == vocab.STAFF_GROUP:
            staff[stance] += headcount
    staff_total = sum(staff.values())
    supportive = sum(n for key, n in staff.items() if vocab.stance(key).supportive)
    concerns = Concern.objects.filter(plan=plan).aggregate(
        open=Count("id", filter=Q(status=Concern.Status.OPEN)),
        overdue=Count(
            "id", filter=Q(status=Concern.Status.OPEN, raised_on__lt=today - dt.timedelta(days=rules.CONCERN_ANSWER_DAYS))
        ),
    )
    counts = Plan.objects.filter(pk=plan.pk).aggregate(
        overdue=Count("communications", filter=Q(communications__next_due__lt=today), distinct=True),
        activities=Count("engagement_activities", distinct=True),
        champions=Count("champions", distinct=True),
    )
    return Summary(
        stakeholders=total,
        staff_by_stance=[(s, staff[s.key]) for s in vocab.STANCES if staff[s.key]],
        supportive_share=round(100 * supportive / staff_total, 1) if staff_total else None,
        open_concerns=concerns["open"],
        overdue_concerns=concerns["overdue"],
        overdue_communications=counts["overdue"],
        activities=counts["activities"],
        champions=counts["champions"],
    )
