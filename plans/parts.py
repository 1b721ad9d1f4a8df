"""The plan-parts registry: how apps contribute to snapshots, readiness, diffs and the PDF.

plans must not import the satellite apps (risks, stakeholders, evaluation), yet a revision
snapshot, the readiness checklist, the review diff and the PDF need their records. Each app
therefore registers one PlanPart from its AppConfig.ready():

    from plans.parts import PlanPart, register_part

    class RiskPart(PlanPart):
        key = "risks"
        ...

    register_part(RiskPart())

A snapshot is {"schema": SNAPSHOT_SCHEMA, "<part key>": <part snapshot>, ...}; each part's
snapshot is plain JSON (no model instances, dates as ISO strings, decimals as strings).
Adding an app means writing one part; nothing in the workflow or PDF code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Plan

# Bump when any part's snapshot shape changes incompatibly; keep a stored fixture of each
# old schema in tests/plans/snapshots/ so old revisions are proven to still render.
SNAPSHOT_SCHEMA = 1


@dataclass(frozen=True)
class Problem:
    """One failed readiness check. `blocking=False` is a warning (e.g. the word count)."""

    part: str
    message: str
    url: str = ""  # where to fix it
    blocking: bool = True


@dataclass(frozen=True)
class Appendix:
    """A labelled appendix of the PDF. `key` is what the body refers to ("risks")."""

    key: str
    title: str  # "Risk register and contingency plans"
    template: str  # under templates/pdf/
    context: dict = field(default_factory=dict)
    section: int = 0  # the question (1-5) that refers to it


@dataclass(frozen=True)
class Change:
    """One line of a review diff: a row or a narrative added, removed or changed."""

    part: str
    kind: str  # "added" | "removed" | "changed"
    label: str  # "Risk R3: System outage on go-live day"
    details: list = field(default_factory=list)  # [(field label, before, after)]


class PlanPart:
    key: str = ""
    title: str = ""
    order: int = 100

    def snapshot(self, plan: Plan) -> dict | list:
        raise NotImplementedError

    def readiness(self, plan: Plan) -> list[Problem]:
        return []

    def appendices(self, snap: dict) -> list[Appendix]:
        """From a whole-plan snapshot (all parts), the appendices this part contributes."""
        return []


_parts: dict[str, PlanPart] = {}


def register_part(part: PlanPart) -> None:
    if not part.key:
        raise ValueError("A PlanPart needs a key.")
    _parts[part.key] = part


def registered_parts() -> list[PlanPart]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.key))


def get_part(key: str) -> PlanPart | None:
    return _parts.get(key)


def build_snapshot(plan: Plan) -> dict:
    snap: dict = {"schema": SNAPSHOT_SCHEMA}
    for part in registered_parts():
        snap[part.key] = part.snapshot(plan)
    return snap


def readiness_problems(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    for part in registered_parts():
        problems.extend(part.readiness(plan))
    return problems
