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

from oakview.core.demo import CARE_TEAM, NIGHT_TEAM
from plans import services
from plans.models import Action, Plan

TITLE = "Going digital: electronic care records at Oak View"
# Oak View's 32 care staff: the three who sign in, and the rest of the team.
CARE_STAFF = ("staff1", "staff2", "staff3", *(username for username, *_ in CARE_TEAM))
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

    _seed_training(plan, manager, users, start)
    ctx.say(f"Plan “{TITLE}” drafted from the template.")
    return plan


SESSION_HOURS = Decimal("3")
GROUP = 4  # carers per session: 12 hours off the floor against 6 hours of headroom


def _seed_training(plan: Plan, manager: Any, users: dict[str, Any], start: dt.date) -> None:
    """All 32 care staff trained, six hours each in two three-hour parts, in groups of four:
    sixteen sessions on twelve weekdays from week 6, done before go-live, each with the bank
    backfill booked for every hour its attendees are off the floor. Day staff train at 10:00;
    the night team at 20:00 on the same days, at the start of their shift. One session is left short of backfill on purpose: the draft
    shows the warning, and the demo's approval history books the missing hours first."""
    night = [users[name] for name in NIGHT_TEAM]
    day = [user for name, user in users.items() if name in CARE_STAFF and name not in NIGHT_TEAM]
    groups = [("Day", n + 1, day[i : i + GROUP], 10) for n, i in enumerate(range(0, len(day), GROUP))]
    groups += [("Night", n + 1, night[i : i + GROUP], 20) for n, i in enumerate(range(0, len(night), GROUP))]
    parts = ("getting started", "recording at the point of care")
    days = [_training_day(start + dt.timedelta(days=35))]
    while len(days) < len([g for g in groups if g[0] == "Day"]) * len(parts):
        days.append(_training_day(days[-1] + dt.timedelta(days=1)))
    slots = iter(days)
    night_slots = iter(days[1::3])  # the night groups share a day with a day group
    for part, title in enumerate(parts, start=1):
        for shift, number, people, hour in groups:
            when = next(slots) if shift == "Day" else next(night_slots)
            off_floor = SESSION_HOURS * len(people)
            short = part == 1 and shift == "Day" and number == 2  # the one left short in the draft
            services.training_session_create(
                plan=plan,
                by=manager,
                title=f"{shift} group {number}: {title} (part {part} of 2)",
                starts_at=_at(when, hour, 0),
                duration_hours=SESSION_HOURS,
                trainer="Supplier's trainer" if part == 1 else "Priya Sharma (digital champion)",
                attendees=people,
                backfill_hours=Decimal("3") if short else off_floor,
            )


def _training_day(day: dt.date) -> dt.date:
    """The first weekday from `day` that is not a bank holiday the demo's weeks can meet."""
    day = _weekday(day)
    while (day.month, day.day) in ((12, 25), (12, 26), (1, 1)):
        day = _weekday(day + dt.timedelta(days=1))
    return day
