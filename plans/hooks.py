"""Panels other parts of the code add to the plan page, so plans' views never import them.

    from plans.hooks import PlanPanel, register_plan_panel

    @register_plan_panel
    def risk_summary(request, plan) -> PlanPanel | None:
        return PlanPanel("risks/_plan_panel.html", {"risks": ...}, slot="implementation")

slot is "top" (above the sections) or a section key: need, planning, support,
implementation, evaluation (the panel is shown at the end of that section).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlanPanel:
    template: str
    context: dict = field(default_factory=dict)
    slot: str = "top"
    order: int = 100


_panels: list[Callable] = []


def register_plan_panel(fn: Callable) -> Callable:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def plan_panels(request, plan) -> dict[str, list[PlanPanel]]:
    """{slot: [panel, ...]} for the plan page."""
    by_slot: dict[str, list[PlanPanel]] = {}
    for fn in _panels:
        panel = fn(request, plan)
        if panel is not None:
            by_slot.setdefault(panel.slot, []).append(panel)
    for panels in by_slot.values():
        panels.sort(key=lambda p: p.order)
    return by_slot
