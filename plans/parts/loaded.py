"""Whether a plan instance already carries its rows, so the plan part reads them from memory."""

from __future__ import annotations

from typing import Any

ROW_RELATIONS = ("drivers", "objectives", "resources", "milestones", "actions", "training_sessions")


def rows_loaded(plan: Any) -> bool:
    """Whether every kind of row of this plan instance is already prefetched (as the plan
    page's plans.selectors.plan_with_rows does), so its snapshot and readiness read them
    without a query."""
    cache = getattr(plan, "_prefetched_objects_cache", {})
    return all(name in cache for name in ROW_RELATIONS)
