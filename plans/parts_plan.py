"""The plans app's own part: the plan, its narratives and sections 1-2 records."""

from __future__ import annotations

from .models import SECTIONS, Plan
from .parts import Appendix, PlanPart, Problem, register_part
from .pdf.appendices import plan_appendices
from .readiness import plan_readiness


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value) -> str:
    return f"{value:.2f}"


def _standards(row) -> list[str]:
    # Codes only: the label is looked up in the shipped reference data when rendering, and
    # the code stays meaningful even if the reference wording is revised.
    return sorted(s.code for s in row.standards.all())


class PlanContentPart(PlanPart):
    key = "plan"
    title = "Plan"
    order = 0

    def snapshot(self, plan: Plan) -> dict:
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
            "narratives": {s.key: plan.narrative(s) for s in SECTIONS},
            "drivers": [
                {
                    "id": d.pk,
                    "kind": d.get_kind_display(),
                    "description": d.description,
                    "evidence_kind": d.get_evidence_kind_display() if d.evidence_kind else "",
                    "evidence": d.evidence,
                    "standards": _standards(d),
                }
                for d in plan.drivers.all()
            ],
            "objectives": [
                {"id": o.pk, "title": o.title, "measure": o.measure, "target": o.target, "target_date": _iso(o.target_date)}
                for o in plan.objectives.all()
            ],
            "resources": [
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
            ],
            "milestones": [
                {"id": m.pk, "title": m.title, "due_date": _iso(m.due_date), "done": m.done}
                for m in plan.milestones.all()
            ],
            "actions": [
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
            ],
            "training": [
                {
                    "id": t.pk,
                    "title": t.title,
                    "starts_at": t.starts_at.isoformat(),
                    "duration_hours": _money(t.duration_hours),
                    "trainer": t.trainer,
                    "attendees": sorted(
                        ({"id": u.pk, "name": u.display_name} for u in t.attendees.all()), key=lambda a: a["name"]
                    ),
                    "backfill_hours": _money(t.backfill_hours),
                }
                for t in plan.training_sessions.all()
            ],
        }

    def readiness(self, plan: Plan) -> list[Problem]:
        return plan_readiness(plan)

    def appendices(self, snap: dict) -> list[Appendix]:
        return plan_appendices(snap)


register_part(PlanContentPart())
