"""The plans app's own part: the plan, its narratives and the records of sections 1 and 2.

It is registered like any other part (plans.apps) and describes itself the same way: its
row kinds and their columns, its field labels, its snapshot, its readiness checklist
(plan_readiness), its appendices (plan_appendices), what counts as material drift from the
approved revision, and its items on the approver's summary.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from oakview.core.formats import long_date, parse_date
from plans.models import Plan
from plans.snapshot.layout import row_kind_blocks
from plans.snapshot.progress import REACHED, milestone_state
from plans.snapshot.sections import SECTIONS

from . import Appendix, Block, Column, Drift, Evidence, PlanPart, Problem, RowKind, field_label
from .loaded import rows_loaded
from .plan_appendices import APPENDIX_TITLES, plan_appendices
from .plan_criteria import CRITERIA, plan_criteria_evidence
from .plan_readiness import plan_readiness

DRIVERS = RowKind(
    "drivers", "Driver", "Drivers for change", section=1,
    columns=(Column("kind", "Kind"), Column("description", "Driver"), Column("evidence_kind", "Kind of evidence"),
             Column("evidence", "Evidence"), Column("standards", "Standards", "codes")),
)  # fmt: skip
OBJECTIVES = RowKind(
    "objectives", "Objective", "SMART objectives", section=2,
    columns=(Column("title", "Objective"), Column("measure", "Measure"), Column("target", "Target"),
             Column("target_date", "Target date", "date")),
)  # fmt: skip
RESOURCES = RowKind(
    "resources", "Resource", "Resources", section=2,
    columns=(Column("kind", "Kind"), Column("description", "Resource"), Column("quantity", "Quantity"),
             Column("unit", "Unit"), Column("unit_cost", "Unit cost (£)", "money"),
             Column("total_cost", "Total cost (£)", "money"), Column("secured", "Secured", "yesno"),
             Column("owner", "Owner")),
)  # fmt: skip
MILESTONES = RowKind(
    "milestones",
    "Milestone",
    "Milestones",
    section=2,
    columns=(Column("title", "Milestone"), Column("due_date", "Due date", "date"), Column("done", "Reached", "yesno")),
)
ACTIONS = RowKind(
    "actions", "Action", "Actions", section=2,
    columns=(Column("title", "Action"), Column("owner", "Owner"), Column("due_date", "Due date", "date"),
             Column("status", "Status"), Column("milestone", "Milestone")),
)  # fmt: skip
TRAINING = RowKind(
    "training", "Training session", "Training schedule", section=2,
    columns=(Column("title", "Session"), Column("starts_at", "Starts", "datetime"),
             Column("duration_hours", "Hours"), Column("trainer", "Trainer"),
             Column("attendees", "Attendees", "names"), Column("backfill_hours", "Backfill hours")),
)  # fmt: skip

# Section 1's own answers, shown above its drivers.
NEED_FIELDS = ("current_state", "desired_state", "safety_link", "staff_message")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Any) -> str:
    return f"{value:.2f}"


def _standards(row: Any) -> list[str]:
    # Codes only: the label is looked up in the shipped reference data when rendering, and
    # the code stays meaningful even if the reference wording is revised.
    return sorted(s.code for s in row.standards.all())


class PlanContentPart(PlanPart):
    key = "plan"
    title = "Plan"
    order = 0
    row_kinds = (DRIVERS, OBJECTIVES, RESOURCES, MILESTONES, ACTIONS, TRAINING)
    appendix_titles = APPENDIX_TITLES
    criteria = CRITERIA
    field_labels = {
        "go_live_date": "Go-live date",
        "current_state": "Current state",
        "desired_state": "Desired state",
        "safety_link": "Link to service-user safety",
        "staff_message": "Message for resistant staff",
        "unit_cost": "Unit cost (£)",
        "total_cost": "Total cost (£)",
        "evidence_kind": "Kind of evidence",
        "starts_at": "Starts",
        "submission": "Submission details",
    }

    def snapshot(self, plan: Plan) -> dict[str, Any]:
        if rows_loaded(plan):
            # The plan page's rows (plans.selectors.plan_with_rows), already in memory for
            # this request: the live snapshot for the material-changes check reads them.
            return self._snapshot_of(plan)
        plan = (
            Plan.objects.select_related("home", "author")
            .prefetch_related(
                "drivers__standards",
                "objectives",
                "resources__owner",
                "milestones",
                "actions__owner",
                "actions__standards",
                "actions__milestone",
                "training_sessions__attendees",
            )
            .get(pk=plan.pk)
        )
        return self._snapshot_of(plan)

    def _snapshot_of(self, plan: Plan) -> dict[str, Any]:
        home = plan.home
        return {
            "id": plan.pk,
            "title": plan.title,
            "summary": plan.summary,
            "home": {
                "id": home.pk,
                "name": home.name,
                "beds": home.beds,
                "regulator": home.get_regulator_display(),
                "location_id": home.location_id,
                "required_care_hours_per_day": _money(home.required_care_hours_per_day),
                "rostered_care_hours_per_day": _money(home.rostered_care_hours_per_day),
            },
            "author": {"id": plan.author_id, "name": plan.author.display_name},
            "start_date": _iso(plan.start_date),
            "go_live_date": _iso(plan.go_live_date),
            "end_date": _iso(plan.end_date),
            "current_state": plan.current_state,
            "desired_state": plan.desired_state,
            "safety_link": plan.safety_link,
            "staff_message": plan.staff_message,
            # Optional cover details for a qualification submission; older snapshots lack it.
            "submission": {
                "candidate": plan.submission_candidate,
                "qualification": plan.submission_qualification,
                "centre": plan.submission_centre,
                "assessor": plan.submission_assessor,
                "date": _iso(plan.submission_date),
            },
            "narratives": {s.key: plan.narrative(s) for s in SECTIONS},
            "drivers": _drivers(plan),
            "objectives": _objectives(plan),
            "resources": _resources(plan),
            "milestones": _milestones(plan),
            "actions": _actions(plan),
            "training": _training(plan),
        }

    def readiness(self, plan: Plan) -> list[Problem]:
        return plan_readiness(plan)

    def appendices(self, snap: dict[str, Any]) -> list[Appendix]:
        return plan_appendices(snap)

    def criteria_evidence(self, snap: dict[str, Any]) -> list[Evidence]:
        return plan_criteria_evidence(snap)

    def revision_blocks(self, snap: dict[str, Any]) -> list[Block]:
        plan = snap.get("plan") or {}
        fields = [(field_label(self.field_labels, key), plan.get(key)) for key in NEED_FIELDS if plan.get(key)]
        blocks = [Block("plans/_revision_fields.html", {"fields": fields}, section=1, order=0)] if fields else []
        return blocks + row_kind_blocks(self, snap)

    def approver_summary(self, snap: dict[str, Any]) -> list[Block]:
        plan = snap.get("plan") or {}
        resources = plan.get("resources") or []
        budget = _budget(plan)
        secured = sum((Decimal(r.get("total_cost") or "0") for r in resources if r.get("secured")), Decimal("0"))
        milestones = sorted((m for m in plan.get("milestones") or [] if m.get("due_date")), key=lambda m: m["due_date"])
        dated = [(m["due_date"], m.get("title", "")) for m in milestones]
        if plan.get("go_live_date") and plan["go_live_date"] not in {day for day, _ in dated}:
            dated.append((plan["go_live_date"], "Go-live"))
        context = {
            "budget": budget,
            "secured": secured,
            "requested": budget - secured,
            "start": long_date(parse_date(plan.get("start_date")), "no start date"),
            "end": long_date(parse_date(plan.get("end_date")), "no end date"),
            "key_dates": [(long_date(parse_date(day)), title) for day, title in sorted(dated)],
            "go_live": long_date(parse_date(plan.get("go_live_date")), "not set"),
            "objectives": len(plan.get("objectives") or []),
            "actions": len(plan.get("actions") or []),
            "sessions": len(plan.get("training") or []),
        }
        return [Block("plans/_summary_plan.html", context, order=0, title="The plan")]

    def drift(self, approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
        """Budget, go-live date and objectives are what the approver signed off: a change to
        any of them needs a new approved revision (adjustments cover everything else)."""
        before, after = approved.get("plan") or {}, live.get("plan") or {}
        found = []
        if _budget(before) != _budget(after):
            found.append(f"Budget: £{_budget(before):,.2f} approved, now £{_budget(after):,.2f}")
        if before.get("go_live_date") != after.get("go_live_date"):
            found.append(f"Go-live date: {_uk(before.get('go_live_date'))} approved, now {_uk(after.get('go_live_date'))}")
        if _objective_terms(before) != _objective_terms(after):
            found.append("Objectives have changed since they were approved")
        found.extend(_milestones_moved(before, after))
        return [Drift(self.key, message) for message in found]


def _budget(plan: dict[str, Any]) -> Decimal:
    return sum((Decimal(r.get("total_cost") or "0") for r in plan.get("resources") or []), Decimal("0"))


def _milestones_moved(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """A milestone the approver saw that is now due on another date, or gone."""
    live = {m.get("id"): m for m in after.get("milestones") or []}
    found = []
    for m in before.get("milestones") or []:
        now = live.get(m.get("id"))
        if now is None:
            found.append(f"Milestone “{m.get('title')}” was in the approved plan and has been removed")
        elif now.get("due_date") != m.get("due_date"):
            found.append(f"Milestone “{m.get('title')}”: due {_uk(m.get('due_date'))} approved, now {_uk(now.get('due_date'))}")
    return found


def _objective_terms(plan: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (o.get("title", ""), o.get("measure", ""), o.get("target", ""), o.get("target_date") or "")
        for o in plan.get("objectives") or []
    )


def _uk(iso: str | None) -> str:
    return long_date(parse_date(iso), "not set")


# --- The rows, as the snapshot keeps them (prefetched by snapshot()) ---------------------------


def _drivers(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "kind": d.get_kind_display(),
            "description": d.description,
            "evidence_kind": d.get_evidence_kind_display() if d.evidence_kind else "",
            "evidence": d.evidence,
            "standards": _standards(d),
        }
        for d in plan.drivers.all()
    ]


def _objectives(plan: Plan) -> list[dict[str, Any]]:
    return [
        {"id": o.pk, "title": o.title, "measure": o.measure, "target": o.target, "target_date": _iso(o.target_date)}
        for o in plan.objectives.all()
    ]


def _resources(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "kind": r.get_kind_display(),
            "description": r.description,
            "quantity": _money(r.quantity),
            "unit": r.unit,
            "unit_cost": _money(r.unit_cost),
            "total_cost": _money(r.total_cost),
            "secured": r.secured,
            "owner": r.owner.display_name if r.owner else "",
        }
        for r in plan.resources.all()
    ]


def _milestones(plan: Plan) -> list[dict[str, Any]]:
    # "Done" is derived: marked done, or every action towards it done (plans.snapshot.progress).
    statuses: dict[int, list[str]] = {}
    for a in plan.actions.all():
        if a.milestone_id:
            statuses.setdefault(a.milestone_id, []).append(a.status)
    return [
        {
            "id": m.pk,
            "title": m.title,
            "due_date": _iso(m.due_date),
            "done": milestone_state(m.done, statuses.get(m.pk, [])) == REACHED,
        }
        for m in plan.milestones.all()
    ]


def _actions(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "title": a.title,
            "description": a.description,
            "owner": a.owner.display_name if a.owner else "",
            "due_date": _iso(a.due_date),
            "status": a.get_status_display(),
            "milestone": a.milestone.title if a.milestone else "",
            "standards": _standards(a),
        }
        for a in plan.actions.all()
    ]


def _training(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "title": t.title,
            "starts_at": t.starts_at.isoformat(),
            "duration_hours": _money(t.duration_hours),
            "trainer": t.trainer,
            "attendees": sorted(({"id": u.pk, "name": u.display_name} for u in t.attendees.all()), key=lambda a: a["name"]),
            "backfill_hours": _money(t.backfill_hours),
        }
        for t in plan.training_sessions.all()
    ]
