"""The demo's approval history: revision 1 approved by `approver`, then a later change
submitted and in review, so the review page shows a real diff.

Runs last in seed_demo, after the plan and every part's records are seeded; after the
approval each part makes its own later change (PlanPart.demo_after_approval). Idempotent: a
plan that already has revisions is left alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from oakview.core.formats import long_date
from oakview.core.models import User
from plans import services
from plans.models import Plan, Resource
from plans.parts import demo_after_approval, readiness_problems
from plans.snapshot.care_hours import cover_for_plan

APPROVAL_COMMENT = (
    "Approved. The care-hours cover for the training weeks is clear and the downtime procedure "
    "answers my main worry. Please keep the night team's concerns in view during the pilot."
)
EXTRA_NARRATIVE = (
    "\n\nAfter the first listening session the night team asked for a second, shorter practice "
    "session before go-live week, again at 20:00 at the start of their shift. We have added it, "
    "with backfill from the bank so the floor keeps its required care hours."
)


def seed_workflow(ctx: Any, plan: Plan) -> None:
    if plan.revisions.exists():
        ctx.say(f"“{plan.title}” already has revisions.")
        return
    manager, approver = ctx.users["manager"], ctx.users["approver"]

    _cover_training_shortfalls(plan, manager, ctx)
    blocking = [p for p in readiness_problems(plan) if p.blocking]
    if blocking:
        ctx.say("The demo plan is not ready to submit; skipping its approval history:")
        for problem in blocking:
            ctx.say(f"  - {problem.message}")
        return

    services.plan_submit(plan_id=plan.pk, by=manager)
    services.plan_decide(plan_id=plan.pk, revision_number=1, by=approver, approve=True, comment=APPROVAL_COMMENT)

    # The later change: what a manager would revise after the approval.
    plan.refresh_from_db()
    plan = services.plan_update(
        plan=plan,
        by=manager,
        expected_version=plan.version,
        narrative_support=plan.narrative_support + EXTRA_NARRATIVE,
    )
    services.row_save(
        row=Resource(
            plan=plan,
            kind=Resource.Kind.HUMAN,
            description="Bank staff backfill for night-shift training",
            quantity=Decimal("12"),
            unit="hours",
            unit_cost=Decimal("16.50"),
            secured=True,
            owner=manager,
        ),
        by=manager,
    )
    action = plan.actions.filter(title__icontains="train").order_by("due_date", "pk").last()
    if action is not None:
        action.description = (action.description + "\n\nNight-shift sessions start at 20:00, with bank backfill.").strip()
        services.row_save(row=action, by=manager, expected_version=action.version, notify=False)

    # Each part's own later change (the risk register: a new risk, a re-scored one).
    demo_after_approval(ctx, plan)

    revision = services.plan_submit(plan_id=plan.pk, by=manager)
    ctx.say(f"“{plan.title}”: revision 1 approved by {approver.display_name}; revision {revision.number} in review.")


def _cover_training_shortfalls(plan: Plan, manager: User, ctx: Any) -> None:
    """The drafted demo plan may leave a training day short of care hours (the page shows
    that warning); an approved plan cannot, so book bank backfill for the shortfall first,
    as a manager would before submitting."""
    plan = Plan.objects.select_related("home").prefetch_related("training_sessions__attendees").get(pk=plan.pk)
    for day in cover_for_plan(plan):
        if not (day.is_short and day.has_training):
            continue
        session = next((t for t in plan.training_sessions.all() if t.title in day.sessions), None)
        if session is None:
            continue
        session.backfill_hours = session.backfill_hours + day.shortfall
        services.row_save(row=session, by=manager, expected_version=session.version)
        ctx.say(f"Booked {day.shortfall} h of bank backfill for “{session.title}” so care hours hold on {long_date(day.day)}.")
