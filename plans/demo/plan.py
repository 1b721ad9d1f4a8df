"""Oak View's demo plan: a draft made from the template, part-way through its first month.

Idempotent: the plan is keyed on its title, so a second seed_demo run changes nothing.
Dates are relative to the day of the first run, so the demo always has some overdue actions
and training still to come.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from plans import services
from plans.models import Action, Plan

TITLE = "Going digital: electronic care records at Oak View"
DAYS_IN = 28  # the demo plan started four weeks ago
LONDON = ZoneInfo("Europe/London")

# action title (from the template) -> (owner username, status, note when moved on)
ASSIGNMENTS = {
    "Sign supplier contract and data processing agreement": (
        "manager",
        Action.Status.DONE,
        "Signed; supplier is on the assured list.",
    ),
    "Complete the data protection impact assessment": (
        "manager",
        Action.Status.DONE,
        "DPIA agreed with the provider's data protection lead.",
    ),
    "Choose and brief two digital champions": ("manager", Action.Status.DONE, "Priya (days) and a night senior agreed."),
    "Commission Wi-Fi survey and install access points": ("manager", Action.Status.IN_PROGRESS, "Survey done; installer booked."),
    "Set up tablets with device management and log-ins": (
        "staff1",
        Action.Status.IN_PROGRESS,
        "8 of 12 set up; waiting for the last cases.",
    ),
    "Agree the training schedule with backfill on the rota": ("staff1", Action.Status.NOT_STARTED, ""),
    "Hold listening sessions for staff worried about the change": ("staff2", Action.Status.NOT_STARTED, ""),
    "Run the pilot on Rowan unit and review it weekly": ("staff1", Action.Status.NOT_STARTED, ""),
    "Write the paper downtime procedure for outages": ("staff3", Action.Status.NOT_STARTED, ""),
    "Train all care staff and sign off competency": ("staff1", Action.Status.NOT_STARTED, ""),
    "Transfer remaining care plans, checked with residents or families": ("staff2", Action.Status.NOT_STARTED, ""),
    "Go-live huddles at every handover for two weeks": ("staff3", Action.Status.NOT_STARTED, ""),
    "Staff confidence survey before go-live and at three months": ("staff2", Action.Status.NOT_STARTED, ""),
    "Audit records at one and three months": ("manager", Action.Status.NOT_STARTED, ""),
}


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after if it falls at a weekend (training runs on weekdays)."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def seed_plan(ctx: Any) -> Plan:
    # The demo's script, read top to bottom: the plan, who does what, the training weeks.
    existing = Plan.objects.filter(home=ctx.oak_view, title=TITLE).first()
    if existing is not None:
        ctx.say(f"Plan “{TITLE}” already there.")
        return existing
    users = ctx.users
    manager = users["manager"]
    start = timezone.localdate() - dt.timedelta(days=DAYS_IN)
    plan = services.plan_create(home=ctx.oak_view, by=manager, title=TITLE, start_date=start, from_template=True)

    for action in plan.actions.select_related("plan"):
        owner_name, status, note = ASSIGNMENTS.get(action.title, ("manager", Action.Status.NOT_STARTED, ""))
        owner = users[owner_name]
        action.owner = owner
        # Seeded assignments are not news to anyone: no emails.
        services.row_save(row=action, by=manager, expected_version=action.version, notify=False)
        if status != Action.Status.NOT_STARTED or note:
            services.action_update_status(action=action, by=owner, status=status, note=note)

    # An overdue job on the night team too, so each staff member has something late.
    services.row_save(
        row=Action(
            plan=plan,
            title="Check the Wi-Fi signal in every bedroom on night rounds",
            description="Note any room where the tablet shows fewer than two bars.",
            owner=users["staff3"],
            due_date=start + dt.timedelta(days=20),
        ),
        by=manager,
        notify=False,
    )

    day_team = [users["staff1"], users["staff2"], users["staff3"]]
    first = _weekday(start + dt.timedelta(days=38))
    second = _weekday(first + dt.timedelta(days=2))
    night = _weekday(second + dt.timedelta(days=2))
    # Covered: three carers off the floor for 3 h (9 h) against 6 h headroom; 6 h backfill booked.
    services.training_session_create(
        plan=plan,
        by=manager,
        title="Digital care records: getting started (group 1)",
        starts_at=_at(first, 13, 30),
        duration_hours=Decimal("3"),
        trainer="Supplier's trainer",
        attendees=day_team,
        backfill_hours=Decimal("6"),
    )
    # Short: the same 9 h off the floor with no backfill yet, 3 h below the requirement. Left
    # so on purpose: the demo shows the warning, and the fix (add backfill) is one edit.
    services.training_session_create(
        plan=plan,
        by=manager,
        title="Digital care records: getting started (group 2)",
        starts_at=_at(second, 10, 0),
        duration_hours=Decimal("3"),
        trainer="Supplier's trainer",
        attendees=[users["staff2"], users["staff3"], manager],
    )
    # The night team trains at the start of its shift, 20:00-00:00, as the plan says (and as
    # they asked at the night team meeting), before the medication round.
    services.training_session_create(
        plan=plan,
        by=manager,
        title="Night team: recording at the point of care",
        starts_at=_at(night, 20, 0),
        duration_hours=Decimal("4"),
        trainer="Priya Sharma (digital champion)",
        attendees=[users["staff3"]],
        backfill_hours=Decimal("2"),
    )
    ctx.say(f"Plan “{TITLE}” drafted from the template.")
    return plan
