"""The plan-parts registry: how apps contribute to a plan without plans importing them.

plans must not import the satellite apps, yet a revision snapshot, the readiness checklist,
the review diff, the revision page, the dashboards and the PDF all need their records. Each
app therefore registers one PlanPart from its AppConfig.ready(), and the part describes
itself: the question it answers, its row kinds and how they read, its appendices, its panels,
what counts as material drift from the approved revision, and its demo content.

    from plans.parts import PlanPart, RowKind, Column, register_part

    class RiskPart(PlanPart):
        key = "risks"
        title = "Risk register"
        section = 4
        row_kinds = (RowKind("risks", "Risk", "Risk register", columns=(Column("ref", "Ref"), ...), ref_key="ref"),)
        ...

    register_part(RiskPart())

A snapshot is {"schema": SNAPSHOT_SCHEMA, "<part key>": <part snapshot>, ...}; each part's
snapshot is plain JSON (no model instances, dates as ISO strings, decimals as strings). A part
whose shape may change keeps its own "version" inside its snapshot and reads every version it
ever wrote: revisions are frozen for years.

Every hook has a harmless default except snapshot(), so a part implements only what it has.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from .display import field_label, format_value, humanise, show
from .types import (
    MET,
    MISSING,
    PARTLY,
    UNCHECKED,
    Appendix,
    Block,
    Change,
    Column,
    Drift,
    Evidence,
    EvidenceItem,
    Panel,
    Problem,
    RowKind,
    Series,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from plans.models import Plan

__all__ = [
    "MET",
    "MISSING",
    "PARTLY",
    "SNAPSHOT_SCHEMA",
    "UNCHECKED",
    "Appendix",
    "Block",
    "Change",
    "Column",
    "Drift",
    "Evidence",
    "EvidenceItem",
    "Panel",
    "PlanPart",
    "Problem",
    "RowKind",
    "Series",
    "build_snapshot",
    "collect_appendices",
    "collect_approver_summary",
    "collect_criteria_evidence",
    "collect_drift",
    "collect_my_actions_panels",
    "collect_plan_panels",
    "collect_reminder_lines",
    "declared_appendices",
    "demo_after_approval",
    "field_label",
    "find_series",
    "format_value",
    "get_part",
    "humanise",
    "part_stylesheets",
    "readiness_problems",
    "recorded_outcome",
    "register_part",
    "registered_parts",
    "row_kind",
    "rows_of",
    "seed_demo",
    "seed_large",
    "show",
    "transition_problems",
    "unregister_part",
]

log = logging.getLogger(__name__)

# Bump when the snapshot's envelope changes incompatibly; keep a stored fixture of each old
# schema in tests/plans/snapshots/ so old revisions are proven to still render.
SNAPSHOT_SCHEMA = 1


# --- The part -----------------------------------------------------------------------------


class PlanPart:
    key: str = ""
    title: str = ""
    order: int = 100
    section: int | None = None  # the question (1-5) this part answers; None: after the five
    row_kinds: tuple[RowKind, ...] = ()
    field_labels: ClassVar[dict[str, str]] = {}  # snapshot field -> label, for the diff and tables
    stylesheets: tuple[str, ...] = ()  # static paths every page links, for this part's panels and blocks
    # The PDF appendices this part can contribute, key -> title: authors cite one in a
    # narrative as [[appendix:<key>]], and readiness warns about one no narrative cites.
    appendix_titles: ClassVar[dict[str, str]] = {}
    # The assessment criteria (keys of plans.assessment.criteria) this part can evidence: if
    # its criteria_evidence() raises, these are reported as unchecked, never as met.
    criteria: tuple[str, ...] = ()

    # Snapshot, checks, documents ---------------------------------------------------------

    def snapshot(self, plan: Plan) -> dict[str, Any] | list[Any]:
        raise NotImplementedError

    def readiness(self, plan: Plan) -> list[Problem]:
        """Problems that block (or warn about) submission. An exception here blocks too."""
        return []

    def appendices(self, snap: dict[str, Any]) -> list[Appendix]:
        """From a whole-plan snapshot (all parts), the PDF appendices this part contributes.
        An exception fails the export with the error recorded: never a PDF missing one."""
        return []

    def revision_blocks(self, snap: dict[str, Any]) -> list[Block] | None:
        """Blocks for the revision and review pages, from a whole-plan snapshot. None (the
        default) lays out this part's row kinds as tables under its section."""
        return None

    def diff(self, old: Any, new: Any) -> list[Change] | None:
        """This part's lines of the review diff, from its own snapshot values in two
        revisions (either may be None). None (the default) diffs them generically."""
        return None

    def approver_summary(self, snap: dict[str, Any]) -> list[Block]:
        """Items for the approver's one-screen summary of the revision under review."""
        return []

    def drift(self, approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
        """What differs between the approved revision's snapshot and the live plan's
        (both whole-plan snapshots). Pure: no database."""
        return []

    def transition_problems(self, plan: Plan, action: str) -> list[Problem]:
        """Reasons this part refuses a lifecycle transition (e.g. "close" without a final
        decision). `action` is one of plans' transition names."""
        return []

    def recorded_outcome(self, plan: Plan) -> str | None:
        """The final decision (a Plan.Outcome value) this part has recorded for closing the
        plan, if it keeps one; closing with a different outcome is refused."""
        return None

    def reminder_lines(self, today: dt.date) -> dict[int, list[str]]:
        """{user id: lines} for the daily reminder e-mail: what is overdue for each person."""
        return {}

    def series(self, plan: Plan) -> list[Series]:
        """Measures over time that other parts may read (see Series)."""
        return []

    def criteria_evidence(self, snap: dict[str, Any]) -> list[Evidence]:
        """From a whole-plan snapshot (live, or a revision's), what this part's records hold
        towards the assessor's criteria: one Evidence per criterion it can speak to, met or
        partly met, naming the records. Pure: no database beyond shipped reference data."""
        return []

    # Live pages ----------------------------------------------------------------------------

    def plan_panels(self, request: HttpRequest, plan: Plan) -> list[Panel]:
        return []

    def my_actions_panels(self, request: HttpRequest, user: Any) -> list[Panel]:
        return []

    # Demo ------------------------------------------------------------------------------------

    def seed_demo(self, ctx: Any, plan: Plan) -> None:
        """Add this part's records to the demo plan, before it is taken through approval.
        Idempotent."""

    def demo_after_approval(self, ctx: Any, plan: Plan) -> None:
        """The demo's later change to this part, made after revision 1 was approved and
        frozen into revision 2, so the approver sees it on the review page."""

    def seed_large(self, ctx: Any, plan: Plan, scale: int) -> None:
        """Fill the large plan of `manage.py seed_large` (plans.demo.large) to a realistic
        size for measuring, times `scale`, before its revisions are frozen. Keep it ready
        to submit (no blocking readiness problem) and write through the services."""


# --- The registry -------------------------------------------------------------------------

_parts: dict[str, PlanPart] = {}


def register_part(part: PlanPart) -> None:
    if not part.key:
        raise ValueError("A PlanPart needs a key.")
    _parts[part.key] = part


def unregister_part(key: str) -> None:
    """For tests that plug a part in for one test."""
    _parts.pop(key, None)


def registered_parts() -> list[PlanPart]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.key))


def get_part(key: str) -> PlanPart | None:
    return _parts.get(key)


def row_kind(part_key: str, rows_key: str) -> RowKind | None:
    """The row kind at `rows_key` in part `part_key`'s snapshot, if the part declared one."""
    part = get_part(part_key)
    if part is None:
        return None
    return next((kind for kind in part.row_kinds if kind.key == rows_key), None)


def find_series(plan: Plan, ref: str) -> Series | None:
    """The series "<part key>.<series key>" of this plan, or None when that part is not
    installed or keeps no such series."""
    part_key, _, series_key = ref.partition(".")
    part = get_part(part_key)
    if part is None:
        return None
    return next((s for s in part.series(plan) if s.key == series_key), None)


def build_snapshot(plan: Plan) -> dict[str, Any]:
    snap: dict[str, Any] = {"schema": SNAPSHOT_SCHEMA}
    for part in registered_parts():
        snap[part.key] = part.snapshot(plan)
    return snap


def _guarded(part: PlanPart, what: str, call: Callable[[], list[Problem]]) -> list[Problem]:
    # Fail closed: a check that cannot run is a blocking problem, never "no problems".
    try:
        return list(call())
    except Exception:
        log.exception("The %s part's %s raised", part.key, what)
        return [
            Problem(
                part=part.key,
                message=(
                    f"The {part.title or part.key} checks could not run, so this cannot go ahead until "
                    "they do. The error has been logged for your administrator."
                ),
            )
        ]


def readiness_problems(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    for part in registered_parts():
        problems.extend(_guarded(part, "readiness", lambda part=part: part.readiness(plan)))  # type: ignore[misc]
    return problems


def transition_problems(plan: Plan, action: str) -> list[Problem]:
    problems: list[Problem] = []
    for part in registered_parts():
        problems.extend(_guarded(part, f"{action} check", lambda part=part: part.transition_problems(plan, action)))  # type: ignore[misc]
    return problems


def collect_appendices(snap: dict[str, Any]) -> list[Appendix]:
    # No guard: an appendix that cannot be built fails the export, which records the error.
    found: list[Appendix] = []
    for part in registered_parts():
        found.extend(part.appendices(snap))
    return found


def declared_appendices() -> dict[str, str]:
    """Every part's citable appendices, key -> title, in part order."""
    return {key: title for part in registered_parts() for key, title in part.appendix_titles.items()}


def collect_criteria_evidence(snap: dict[str, Any]) -> list[Evidence]:
    """Every part's evidence towards the assessment criteria. Fails closed like readiness:
    a part whose evidence cannot be read reports each criterion it declares as unchecked."""
    found: list[Evidence] = []
    for part in registered_parts():
        try:
            found.extend(part.criteria_evidence(snap))
        except Exception:
            log.exception("The %s part's criteria evidence raised", part.key)
            message = (
                f"The {part.title or part.key} records could not be checked against this criterion. "
                "The error has been logged for your administrator."
            )
            found.extend(Evidence(criterion=key, status=UNCHECKED, to_complete=message) for key in part.criteria)
    return found


def collect_drift(approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
    found: list[Drift] = []
    for part in registered_parts():
        found.extend(part.drift(approved, live))
    return found


def collect_approver_summary(snap: dict[str, Any]) -> list[Block]:
    """Every part's items for the approver's summary at the top of the review page."""
    found: list[Block] = []
    for part in registered_parts():
        if part.key in snap:
            found.extend(part.approver_summary(snap))
    return sorted(found, key=lambda b: b.order)


def _by_slot(panels: list[Panel]) -> dict[str, list[Panel]]:
    slots: dict[str, list[Panel]] = {}
    for panel in sorted(panels, key=lambda p: p.order):
        slots.setdefault(panel.slot, []).append(panel)
    return slots


def collect_plan_panels(request: HttpRequest, plan: Plan) -> dict[str, list[Panel]]:
    """{slot: [panel, ...]} for the plan page, each slot in panel order."""
    return _by_slot([panel for part in registered_parts() for panel in part.plan_panels(request, plan)])


def collect_my_actions_panels(request: HttpRequest, user: Any) -> list[Panel]:
    return sorted((p for part in registered_parts() for p in part.my_actions_panels(request, user)), key=lambda p: p.order)


def collect_reminder_lines(today: dt.date) -> dict[int, list[str]]:
    """{user id: lines} from every part, for the daily reminder."""
    lines: dict[int, list[str]] = {}
    for part in registered_parts():
        for user_id, found in part.reminder_lines(today).items():
            lines.setdefault(user_id, []).extend(found)
    return lines


def recorded_outcome(plan: Plan) -> str | None:
    """The final decision a part has recorded for this plan (the first part that keeps one)."""
    for part in registered_parts():
        outcome = part.recorded_outcome(plan)
        if outcome:
            return outcome
    return None


def part_stylesheets() -> list[str]:
    """Static paths of the stylesheets the parts' panels and blocks need, each once."""
    return list(dict.fromkeys(path for part in registered_parts() for path in part.stylesheets))


def rows_of(part: PlanPart, kind: RowKind, snap: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of one row kind in a whole-plan snapshot: the part's snapshot itself when the
    kind's key is the part's (risks keep a list), else the list under the kind's key."""
    value = snap.get(part.key)
    if kind.key != part.key and isinstance(value, dict):
        value = value.get(kind.key)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


# --- The demo -------------------------------------------------------------------------------


def seed_demo(ctx: Any, plan: Plan) -> None:
    """Every part adds its records to the demo plan (before it goes through approval)."""
    for part in registered_parts():
        part.seed_demo(ctx, plan)


def demo_after_approval(ctx: Any, plan: Plan) -> None:
    """Every part makes its later change, after revision 1 is approved."""
    for part in registered_parts():
        part.demo_after_approval(ctx, plan)


def seed_large(ctx: Any, plan: Plan, scale: int) -> None:
    """Every part fills the large benchmark plan (`manage.py seed_large`)."""
    for part in registered_parts():
        part.seed_large(ctx, plan, scale)
