"""The evaluation's part of a plan (question 5): how it plugs into plans through plans.parts
(its rows and their words, snapshot, readiness, the PDF appendix "Evaluation framework and
results", the revision and review blocks, its own diff lines, drift, the close check and the
recorded decision, panels, the daily reminder, and the demo), touching nothing in plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from plans.models import Plan
from plans.parts import Appendix, Block, Change, Column, Drift, Panel, PlanPart, Problem, RowKind

from . import checks, demo, diff, panels, snapshot
from . import criteria as evaluation_criteria

APPENDIX_TITLE = "Evaluation framework and results"


class EvaluationPart(PlanPart):
    key = "evaluation"
    title = "Evaluation"
    order = 50
    section = 5
    criteria = evaluation_criteria.CRITERIA
    stylesheets = ("css/evaluation.css",)
    row_kinds = (
        RowKind(
            "kpis",
            "KPI",
            "Key performance indicators",
            label_keys=("name",),
            columns=(
                Column("name", "KPI"),
                Column("kind", "Kind"),
                Column("dimension", "Measures"),
                Column("unit", "Unit"),
                Column("direction", "Direction"),
                Column("baseline", "Baseline"),
                Column("baseline_date", "Baseline on", "date"),
                Column("baseline_source", "Baseline from"),
                Column("target", "Target"),
                Column("target_date", "Target by", "date"),
                Column("data_source", "Data source"),
                Column("frequency", "How often"),
                Column("owner", "Owner"),
                Column("objective", "Objective"),
                Column("standards", "Standards", "codes"),
            ),
        ),
        RowKind(
            "evidence",
            "Evidence",
            "Qualitative evidence",
            label_keys=("summary",),
            columns=(
                Column("date", "Date", "date"),
                Column("source", "From"),
                Column("method", "Method"),
                Column("summary", "Summary"),
                Column("themes", "Themes"),
                Column("sentiment", "Sentiment"),
                Column("kpi", "KPI"),
            ),
        ),
        RowKind(
            "reviews",
            "Review",
            "Reviews",
            label_keys=("kind",),
            columns=(
                Column("held_on", "Held", "date"),
                Column("kind", "Review"),
                Column("summary", "Found"),
                Column("decision", "Decision"),
                Column("reasons", "Reasons"),
            ),
        ),
        RowKind(
            "benefit_lines",
            "Benefit",
            "Avoided costs and safety outcomes",
            label_keys=("description",),
            columns=(
                Column("kind", "Kind"),
                Column("description", "Benefit"),
                Column("annual_value", "Expected a year", "money"),
                Column("annual_count", "Events avoided a year", "number"),
                Column("actual_annual_value", "Actual a year", "money"),
            ),
        ),
    )
    field_labels = {
        "name": "KPI",
        "description": "How it is measured",
        "dimension": "Measures",
        "lowest": "Lowest possible",
        "highest": "Highest possible",
        "baseline_date": "Baseline measured on",
        "baseline_source": "Baseline from",
        "target_date": "Target by",
        "data_source": "Data source",
        "frequency": "How often",
        "series": "Read from",
        "held_on": "Held on",
        "decided_by": "Decided by",
        "decided_on": "Decided on",
        "reasons": "Reasons",
        "quotes": "Quotes",
        "themes": "Themes",
        "minutes_saved_per_shift": "Minutes saved per carer per shift",
        "carer_shifts_per_week": "Carer shifts a week",
        "hour_value": "Value of a care hour (£)",
        "horizon_years": "Years counted",
        "actual_minutes_saved_per_shift": "Actual minutes saved per carer per shift",
        "social_return": "Social return",
        "annual_value": "Expected a year (£)",
        "annual_count": "Events avoided a year",
        "actual_annual_value": "Actual a year (£)",
    }

    # --- Snapshot, checks, documents ---------------------------------------------------------

    def snapshot(self, plan: Plan) -> dict[str, Any]:
        return snapshot.build(plan)

    def readiness(self, plan: Plan) -> list[Problem]:
        return checks.readiness(plan)

    def appendices(self, snap: dict[str, Any]) -> list[Appendix]:
        context = snapshot.document(snap, id_prefix="pdf-eval")
        if context is None:
            return []
        return [Appendix(key=self.key, title=APPENDIX_TITLE, template="pdf/evaluation/appendix.html", context=context, section=5)]

    def revision_blocks(self, snap: dict[str, Any]) -> list[Block]:
        context = snapshot.document(snap, id_prefix="rev-eval")
        if context is None:
            return []
        return [Block(template="evaluation/_revision_block.html", context=context, section=5, order=10, title=APPENDIX_TITLE)]

    def diff(self, old: Any, new: Any) -> list[Change]:
        return diff.diff(self.key, self.row_kinds, self.field_labels, old, new)

    def approver_summary(self, snap: dict[str, Any]) -> list[Block]:
        context = snapshot.document(snap, id_prefix="sum-eval")
        if context is None:
            return []
        return [
            Block(
                template="evaluation/_approver_summary.html", context=context, title="Evaluation and the benefits case", order=50
            )
        ]

    def criteria_evidence(self, snap: dict[str, Any]) -> list[Any]:
        return evaluation_criteria.criteria_evidence(snap)

    def drift(self, approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
        return checks.drift(approved, live)

    def transition_problems(self, plan: Plan, action: str) -> list[Problem]:
        return checks.close_problems(plan) if action == "close" else []

    def recorded_outcome(self, plan: Plan) -> str | None:
        final = checks.final_decision(plan)
        return final.decision if final is not None else None

    def reminder_lines(self, today: dt.date) -> dict[int, list[str]]:
        return panels.reminder_lines(today)

    # --- Live pages ------------------------------------------------------------------------------

    def plan_panels(self, request: HttpRequest, plan: Plan) -> list[Panel]:
        return panels.plan_panels(plan)

    def my_actions_panels(self, request: HttpRequest, user: Any) -> list[Panel]:
        return panels.my_actions_panels(user)

    # --- Demo -----------------------------------------------------------------------------------

    def seed_demo(self, ctx: Any, plan: Plan) -> None:
        demo.seed_for_plan(ctx, plan)

    def demo_after_approval(self, ctx: Any, plan: Plan) -> None:
        demo.after_approval(ctx, plan)
