"""Gaining support's part of a plan: how it plugs into plans through plans.parts (its rows
and their words, snapshot, readiness, the PDF appendix, the revision and review blocks,
its own diff lines, drift, panels, the daily reminder, the supportive-share series and
the demo), touching nothing in plans. The rules live in checks, diff, panels and snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from plans.models import Plan
from plans.parts import Appendix, Block, Change, Column, Drift, Evidence, Panel, PlanPart, Problem, RowKind, Series

from . import checks, demo, diff, panels, selectors, snapshot, vocab
from . import criteria as support_criteria

APPENDIX_TITLE = "Stakeholder map, engagement and communication plan"


class StakeholderPart(PlanPart):
    key = "stakeholders"
    title = "Gaining support"
    order = 30
    appendix_titles = {"stakeholders": APPENDIX_TITLE}  # noqa: RUF012 - read-only
    section = 3
    stylesheets = ("css/stakeholders.css",)
    criteria = support_criteria.CRITERIA
    row_kinds = (
        RowKind(
            "stakeholders",
            "Stakeholder",
            "Stakeholder map",
            label_keys=("name",),
            columns=(
                Column("name", "Name or group"),
                Column("kind", "Kind"),
                Column("headcount", "People", "number"),
                Column("shift_pattern", "Shifts"),
                Column("power", "Power", "number"),
                Column("interest", "Interest", "number"),
                Column("quadrant", "Quadrant"),
                Column("stance", "Stance"),
                Column("strategy", "How we will engage them"),
                Column("owner", "Owner"),
            ),
        ),
        RowKind(
            "stance_changes",
            "Stance change",
            "Stance over time",
            label_keys=("stakeholder",),
            columns=(
                Column("stakeholder", "Stakeholder"),
                Column("date", "From", "date"),
                Column("stance", "Stance"),
                Column("reason", "What moved them"),
            ),
        ),
        RowKind(
            "pulses",
            "ADKAR pulse",
            "Readiness for change (ADKAR)",
            label_keys=("stakeholder",),
            columns=(
                Column("stakeholder", "Staff group"),
                Column("date", "Date", "date"),
                *[Column(e.key, e.name, "number") for e in vocab.ADKAR],
                Column("barrier", "Barrier"),
                Column("action", "Action that addresses it"),
            ),
        ),
        RowKind(
            "concerns",
            "Concern",
            "You said, we did",
            label_keys=("concern",),
            columns=(
                Column("raised_on", "Raised", "date"),
                Column("raised_by", "By"),
                Column("concern", "You said"),
                Column("response", "Our response"),
                Column("action_taken", "We did"),
                Column("action", "Plan action"),
                Column("status", "Status"),
            ),
        ),
        RowKind(
            "engagements",
            "Engagement activity",
            "Engagement activities",
            columns=(
                Column("date", "Date", "date"),
                Column("title", "Activity"),
                Column("kind", "Kind"),
                Column("facilitator", "Facilitator"),
                Column("audience", "Audience", "names"),
                Column("invited", "Invited", "number"),
                Column("attended", "Attended", "number"),
                Column("outcome", "Outcome"),
                Column("follow_ups", "Follow-up actions", "names"),
            ),
        ),
        RowKind(
            "champions",
            "Change champion",
            "Change champions",
            label_keys=("name",),
            columns=(
                Column("name", "Champion"),
                Column("shift_pattern", "Works"),
                Column("supports", "Supports", "names"),
                Column("groups", "Staff groups", "names"),
                Column("people", "People", "number"),
                Column("max_supported", "Cap", "number"),
                Column("protected_hours_per_week", "Protected hours a week", "number"),
                Column("protected_from", "Protected time from", "date"),
                Column("protected_resource", "Paid from"),
            ),
        ),
        RowKind(
            "communications",
            "Communication",
            "Communication plan",
            label_keys=("message",),
            columns=(
                Column("stakeholder", "To"),
                Column("message", "Message"),
                Column("channel", "Channel"),
                Column("frequency", "How often"),
                Column("owner", "Owner"),
                Column("next_due", "Next due", "date"),
            ),
        ),
    )
    field_labels = {
        "name": "Name or group",
        "headcount": "People",
        "shift_pattern": "Shifts",
        "needs_to_hear": "What they need to hear",
        "strategy": "How we will engage them",
        "concerns": "Their concerns",
        "stakeholder": "Stakeholder",
        "raised_on": "Raised on",
        "raised_by": "Raised by",
        "concern": "You said",
        "response": "Our response",
        "responded_on": "Answered on",
        "action_taken": "We did",
        "action": "Plan action",
        "follow_ups": "Follow-up actions",
        "supports": "Supports",
        "groups": "Staff groups",
        "people": "People supported",
        "max_supported": "Cap",
        "protected_hours_per_week": "Protected hours a week",
        "protected_from": "Protected time from",
        "protected_resource": "Paid from",
        "next_due": "Next due",
        "last_sent": "Last sent",
        "reason": "What moved them",
        "date": "Date",
    }

    # --- Snapshot, checks, documents ---------------------------------------------------------

    def snapshot(self, plan: Plan) -> dict[str, Any]:
        return snapshot.build(plan)

    def readiness(self, plan: Plan) -> list[Problem]:
        return checks.readiness(plan)

    def appendices(self, snap: dict[str, Any]) -> list[Appendix]:
        context = snapshot.document(snap, id_prefix="pdf-support")
        if context is None:
            return []
        return [
            Appendix(key=self.key, title=APPENDIX_TITLE, template="pdf/stakeholders/appendix.html", context=context, section=3)
        ]

    def revision_blocks(self, snap: dict[str, Any]) -> list[Block]:
        context = snapshot.document(snap, id_prefix="rev-support")
        if context is None:
            return []  # frozen before this part existed, or nothing recorded: nothing of ours to show
        return [Block(template="stakeholders/_revision_block.html", context=context, section=3, order=10, title=APPENDIX_TITLE)]

    def diff(self, old: Any, new: Any) -> list[Change]:
        return diff.diff(self.key, self.row_kinds, self.field_labels, old, new)

    def approver_summary(self, snap: dict[str, Any]) -> list[Block]:
        context = snapshot.document(snap, id_prefix="sum-support")
        if context is None:
            return []
        staff = [r for r in context["rows"] if vocab.kind_key(r.get("kind")) == vocab.STAFF_GROUP]
        mix = [(s, sum(int(r.get("headcount") or 0) for r in staff if r["stance_info"] == s)) for s in vocab.STANCES]
        return [
            Block(
                template="stakeholders/_approver_summary.html",
                title=self.title,
                order=30,
                context={
                    "mix": [(s, n) for s, n in mix if n],
                    "staff": sum(n for _, n in mix),
                    "latest": context["weeks"][-1] if context["weeks"] else None,
                    "coverage": context["coverage"],
                    "engagements": len(context["engagements"]),
                    "champions": len(context["champions"]),
                    "open_concerns": sum(1 for c in context["concerns"] if c.get("status") == "Open"),
                },
            )
        ]

    def drift(self, approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
        return checks.drift(approved, live)

    def criteria_evidence(self, snap: dict[str, Any]) -> list[Evidence]:
        return support_criteria.criteria_evidence(snap)

    def series(self, plan: Plan) -> list[Series]:
        weeks = selectors.stance_weeks(plan, today=timezone.localdate())
        return [
            Series(
                key="supportive_share",
                label="Staff supportive of the change (share, by headcount)",
                unit="%",
                points=tuple((w.week.isoformat(), w.supportive) for w in weeks),
            )
        ]

    def reminder_lines(self, today: dt.date) -> dict[int, list[str]]:
        return panels.reminder_lines(today)

    # --- Live pages ------------------------------------------------------------------------------

    def plan_panels(self, request: HttpRequest, plan: Plan) -> list[Panel]:
        if not selectors.can_read(getattr(plan, "viewer_role", None), plan):
            return []
        champion_rows = selectors.champions(plan)
        context = {
            "plan": plan,
            "summary": selectors.summary(plan, today=timezone.localdate()),
            "coverage": selectors.plan_coverage(selectors.grid_points(plan), champion_rows),
            "time": checks.protected_time_messages(plan, champion_rows),
        }
        return [Panel("stakeholders/_plan_panel.html", context, slot="support", order=10)]

    def my_actions_panels(self, request: HttpRequest, user: Any) -> list[Panel]:
        duties = panels.champion_duties(user, today=timezone.localdate())
        return [Panel("stakeholders/_my_actions_panel.html", {"duties": duties}, order=20)] if duties else []

    # --- Demo -----------------------------------------------------------------------------------

    def seed_demo(self, ctx: Any, plan: Plan) -> None:
        demo.seed_for_plan(ctx, plan)

    def demo_after_approval(self, ctx: Any, plan: Plan) -> None:
        demo.after_approval(ctx, plan)

    def seed_large(self, ctx: Any, plan: Plan, scale: int) -> None:
        demo.seed_large_map(ctx, plan, scale)
