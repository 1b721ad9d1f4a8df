"""A large plan for measuring: `manage.py seed_large [--scale N]`.

At scale 1: 200 actions, 50 training sessions and 10 real revisions (each frozen by
plans.services.plan_submit and decided by the approver, with edits between them), plus
whatever each part adds through PlanPart.seed_large (the risk register: 60 risks with
reviews; the stakeholder map: 40 groups). --scale 4 multiplies every count by four.

The plan ends with revision 10 sent back for changes, so it is editable (the plan page shows
every row's buttons and the readiness checklist) and its review page shows a diff against
the last approved revision. Idempotent: a plan with the title already there is left alone
(revisions cannot be deleted, so the command never replaces one).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from plans import services
from plans.models import Action, Plan, TrainingSession
from plans.parts import seed_large as seed_parts

LONDON = ZoneInfo("Europe/London")
ACTIONS, SESSIONS, REVISIONS = 200, 50, 10
STAFF = ("staff1", "staff2", "staff3", "manager")
STATUSES = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS, Action.Status.DONE, Action.Status.NOT_STARTED)
VERBS = ("Check", "Agree", "Train", "Audit", "Review", "Order", "Set up", "Brief", "Test", "Sign off")
THINGS = (
    "tablet log-ins on Rowan unit",
    "the medication round on eMAR",
    "care plan transfer for the east wing",
    "handover notes on the new system",
    "the downtime procedure with night staff",
    "Wi-Fi cover in the garden rooms",
    "family access to the portal",
    "the falls record template",
    "the fluid chart on the devices",
    "the weekly completeness report",
)


def large_title(scale: int) -> str:
    return "Large plan (benchmark)" if scale == 1 else f"Large plan (benchmark, scale {scale})"


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def seed_large(ctx: Any, scale: int = 1) -> Plan:
    title = large_title(scale)
    existing = Plan.objects.filter(home=ctx.oak_view, title=title).first()
    if existing is not None:
        ctx.say(f"Plan “{title}” already there.")
        return existing
    users = ctx.users
    manager, approver = users["manager"], users["approver"]
    today = timezone.localdate()
    start = today - dt.timedelta(days=60)
    plan = services.plan_create(
        home=ctx.oak_view,
        by=manager,
        title=title,
        summary="A provider group's plan at full size, for measuring the pages against their rows.",
        start_date=start,
        go_live_date=start + dt.timedelta(days=180),
        end_date=start + dt.timedelta(days=720),
        from_template=True,
    )
    milestones = list(plan.milestones.order_by("due_date"))
    for action in plan.actions.all():
        action.owner = manager
        services.row_save(row=action, by=manager, expected_version=action.version, notify=False)
    already = plan.actions.count()
    for i in range(max(0, ACTIONS * scale - already)):
        due = start + dt.timedelta(days=7 + (i * 3) % 600)
        action = Action(
            plan=plan,
            title=f"{VERBS[i % len(VERBS)]} {THINGS[(i // len(VERBS)) % len(THINGS)]} ({i + 1})",
            description="Agreed at the project meeting; the owner reports progress at the weekly huddle." if i % 3 == 0 else "",
            owner=users[STAFF[i % len(STAFF)]],
            due_date=due,
            status=STATUSES[i % len(STATUSES)] if due < today else Action.Status.NOT_STARTED,
            milestone=milestones[i % len(milestones)] if milestones and i % 2 == 0 else None,
        )
        services.row_save(row=action, by=manager, notify=False)
    carers = [users["staff1"], users["staff2"], users["staff3"]]
    day = _weekday(start + dt.timedelta(days=30))
    for i in range(SESSIONS * scale):
        # One carer off the floor for 2 h, backfilled: the care-hours rule holds every day.
        when = dt.datetime.combine(day, dt.time(10 + (i % 2) * 4, 0), tzinfo=LONDON)
        session = TrainingSession(
            plan=plan,
            title=f"Digital care records: module {i % 8 + 1} (group {i // 8 + 1})",
            starts_at=when,
            duration_hours=Decimal("2"),
            backfill_hours=Decimal("2"),
            trainer="Supplier's trainer" if i % 2 else "Priya Sharma (digital champion)",
        )
        services.row_save(row=session, by=manager, m2m={"attendees": [carers[i % len(carers)]]})
        if i % 2:
            day = _weekday(day + dt.timedelta(days=1))
    seed_parts(ctx, plan, scale)
    _revisions(plan, manager, approver)
    ctx.say(f"Plan “{title}”: {plan.actions.count()} actions, {plan.training_sessions.count()} sessions, "
            f"{plan.revisions.count()} revisions.")  # fmt: skip
    return plan


def _revisions(plan: Plan, manager: Any, approver: Any) -> None:
    """Ten revisions with a change between each: odd ones approved, even ones sent back, the
    last sent back so the plan is being revised again."""
    for number in range(1, REVISIONS + 1):
        if number > 1:
            _edit_between(plan, manager, number)
        services.plan_submit(plan_id=plan.pk, by=manager)
        approve = number % 2 == 1 and number != REVISIONS
        services.plan_decide(
            plan_id=plan.pk,
            revision_number=number,
            by=approver,
            approve=approve,
            comment="Approved." if approve else f"Revision {number}: please tighten the training dates.",
        )


def _edit_between(plan: Plan, manager: Any, number: int) -> None:
    actions = list(plan.actions.order_by("pk")[number * 5 : number * 5 + 5])
    for action in actions:
        action.title = f"{action.title} (revised {number})"[:200]
        services.row_save(row=action, by=manager, expected_version=action.version, notify=False)
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        by=manager,
        expected_version=plan.version,
        narrative_support=plan.narrative_support + f"\n\nRevision {number}: the team agreed one more change.",
    )
