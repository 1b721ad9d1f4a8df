"""The Oak View demo plan for `manage.py seed_demo`: the plan drafted from the template
(plan.py), every registered part's records (PlanPart.seed_demo), then the approval history
(history.py), during which each part makes its later change (PlanPart.demo_after_approval)."""

from __future__ import annotations

from typing import Any

from plans.parts import seed_demo as seed_parts

from .history import seed_workflow
from .plan import seed_plan


def seed_demo(ctx: Any) -> None:
    plan = seed_plan(ctx)
    seed_parts(ctx, plan)
    seed_workflow(ctx, plan)
