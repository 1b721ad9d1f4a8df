"""The evaluation's part of the Oak View demo (filled in by the demo step)."""

from __future__ import annotations

from typing import Any

from plans.models import Plan


def seed_for_plan(ctx: Any, plan: Plan) -> None:
    """Oak View's KPIs, measurements, evidence, benefits case and reviews. Idempotent."""


def after_approval(ctx: Any, plan: Plan) -> None:
    """The evaluation's later change, after revision 1 is approved."""
