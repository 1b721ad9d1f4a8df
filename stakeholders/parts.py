"""Gaining support's part of a plan: how it plugs into plans (snapshot, readiness checks,
the PDF appendix, the revision and review blocks, drift, panels, the supportive-share
series and the demo), touching nothing in plans."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from oakview.core.access import roles_by_home
from plans.models import Plan
from plans.parts import Appendix, Block, Column, Drift, Panel, PlanPart, Problem, RowKind, Series

from . import demo, rules, selectors, snapshot, vocab
from .models import Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder

APPENDIX_TITLE = "Stakeholder map, engagement and communication plan"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class StakeholderPart(PlanPart):
    key = "stakeholders"
    title = "Gaining support"
    order = 30
    section = 3
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
        "protected_resource": "Paid from",
        "next_due": "Next due",
        "last_sent": "Last sent",
        "reason": "What moved them",
        "date": "Date",
    }

    # --- Snapshot, checks, documents ---------------------------------------------------------

    def snapshot(self, plan: Plan) -> dict:
        return snapshot.build(plan)

    def readiness(self, plan: Plan) -> list[Problem]:
        return readiness(plan, part=self.key)

    def appendices(self, snap: dict) -> list[Appendix]:
        context = snapshot.document(snap, id_prefix="pdf-support")
        if context is None:
            return []
        return [
            Appendix(key=self.key, title=APPENDIX_TITLE, template="pdf/stakeholders/appendix.html", context=context, section=3)
        ]

    def revision_blocks(self, snap: dict) -> list[Block]:
        context = snapshot.document(snap, id_prefix="rev-support")
        if context is None:
            return []  # frozen before this part existed: nothing of ours to show
        return [Block(template="stakeholders/_revision_block.html", context=context, section=3, order=10, title=APPENDIX_TITLE)]

    def approver_summary(self, snap: dict) -> list[Block]:
        context = snapshot.document(snap, id_prefix="sum-support")
        if context is None:
            return []
        staff = [r for r in context["rows"] if vocab.kind_key(r.get("kind")) == vocab.STAFF_GROUP]
        mix = [(s, sum(int(r.get("headcount") or 0) for r in staff if r["stance_info"] == s)) for s in vocab.STANCES]
        return [
            Block(
                template="stakeholders/_approver_summary.html",
                title="Gaining support",
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

    def drift(self, approved: dict, live: dict) -> list[Drift]:
        return drift(approved, live, part=self.key)

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

    # --- Live pages ------------------------------------------------------------------------------

    def plan_panels(self, request, plan: Plan) -> list[Panel]:
        if not selectors.can_read(getattr(plan, "viewer_role", None), plan):
            return []
        today = timezone.localdate()
        points = selectors.grid_points(plan)
        return [
            Panel(
                "stakeholders/_plan_panel.html",
                slot="support",
                order=10,
                context={
                    "plan": plan,
                    "summary": selectors.summary(plan, today=today),
                    "coverage": selectors.plan_coverage(points, selectors.champions(plan)),
                },
            )
        ]

    def my_actions_panels(self, request, user) -> list[Panel]:
        champions = champion_duties(user, today=timezone.localdate())
        return [Panel("stakeholders/_my_actions_panel.html", {"duties": champions}, order=20)] if champions else []

    def reminder_lines(self, user, today: dt.date) -> list[str]:
        return reminder_lines(user, today)

    # --- Demo -----------------------------------------------------------------------------------

    def seed_demo(self, ctx, plan: Plan) -> None:
        demo.seed_for_plan(ctx, plan)

    def demo_after_approval(self, ctx, plan: Plan) -> None:
        demo.after_approval(ctx, plan)


# --- Readiness -------------------------------------------------------------------------------


def readiness(plan: Plan, *, part: str = "stakeholders") -> list[Problem]:
    """The checks before submission, in a fixed number of queries."""
    today = timezone.localdate()
    map_url = reverse("stakeholders:map", args=[plan.pk])
    engagement_url = reverse("stakeholders:engagement", args=[plan.pk])
    problems: list[Problem] = []
    stakeholders = list(Stakeholder.objects.filter(plan=plan).annotate(messages=Count("communications")).order_by("name"))
    if not stakeholders:
        problems.append(
            Problem(
                part, "Map the stakeholders: who has power over the change, who it affects, and where each stands on it.", map_url
            )
        )
    for s in stakeholders:
        if not (vocab.is_high(s.power) and s.stance_info.resistant):
            continue
        missing = []
        if not s.strategy.strip():
            missing.append("no strategy for engaging them")
        if not s.messages:
            missing.append("no item in the communication plan")
        if missing:
            problems.append(
                Problem(
                    part,
                    f"{s.name} ({s.stance_info.name.lower()}, power {s.power}) has {_join(missing)}: "
                    "a powerful group that doubts the change needs both.",
                    reverse("stakeholders:stakeholder-edit", args=[s.pk])
                    if not s.strategy.strip()
                    else f"{engagement_url}#communications",
                )
            )
    if not EngagementActivity.objects.filter(plan=plan).exists():
        problems.append(
            Problem(
                part,
                "Plan at least one engagement activity you will lead, such as a workshop or a pilot group.",
                f"{engagement_url}#activities",
            )
        )
    champion_rows = selectors.champions(plan)
    if not champion_rows:
        problems.append(
            Problem(
                part,
                "Name at least one change champion and pair them with the staff they will support.",
                f"{engagement_url}#champions",
            )
        )
    overdue = Concern.objects.filter(plan=plan).overdue(today).count()
    if overdue:
        problems.append(
            Problem(
                part,
                f"{overdue} concern{'s' if overdue != 1 else ''} raised more than {rules.CONCERN_ANSWER_DAYS} days ago "
                f"{'have' if overdue != 1 else 'has'} no response yet: answer {'them' if overdue != 1 else 'it'}, "
                "even if only to say when you will know more.",
                reverse("stakeholders:concerns", args=[plan.pk]) + "?status=overdue",
                blocking=False,
            )
        )
    if champion_rows:  # with none, the problem above already says what to do
        for message in selectors.plan_coverage(selectors.grid_points(plan), champion_rows).messages():
            problems.append(Problem(part, message, f"{engagement_url}#champions", blocking=False))
    return problems


# --- Drift ---------------------------------------------------------------------------------------


def drift(approved: dict, live: dict, *, part: str = "stakeholders") -> list[Drift]:
    """Material: a champion, or a planned engagement activity, in the approved revision that
    has gone, or a shift that had a champion and now has none. A new powerful stakeholder
    who doubts the change is worth saying, but is not a departure from what was approved."""
    before, after = snapshot.read(approved), snapshot.read(live)
    if before is None or after is None:
        return []
    found: list[Drift] = []
    live_champions = {c.get("id") for c in after["champions"]}
    for champion in before["champions"]:
        if champion.get("id") not in live_champions:
            found.append(Drift(part, f"Champion {champion.get('name')} was in the approved plan and has been removed."))
    live_activities = {a.get("id") for a in after["engagements"]}
    for activity in before["engagements"]:
        if activity.get("id") not in live_activities:
            found.append(
                Drift(
                    part,
                    f"The {str(activity.get('kind', 'activity')).lower()} '{activity.get('title')}' "
                    "was in the approved plan and has been removed.",
                )
            )
    covered_before = {s.shift for s in snapshot.coverage_of(before, snapshot.points_of(before)).shifts if s.champions}
    for gap in snapshot.coverage_of(after, snapshot.points_of(after)).gaps:
        if gap.shift in covered_before:
            found.append(
                Drift(
                    part,
                    f"{gap.name} had a champion in the approved plan and now has none, "
                    f"though {_join(list(gap.resistant_groups))} still doubt the change.",
                )
            )
    approved_ids = {s.get("id") for s in before["stakeholders"]}
    for row in after["stakeholders"]:
        point = snapshot.point_of(row)
        if row.get("id") not in approved_ids and vocab.is_high(point.power) and point.stance.resistant:
            found.append(
                Drift(
                    part,
                    f"New since approval: {point.name}, {point.stance.name.lower()} with power {point.power}.",
                    material=False,
                )
            )
    return found


# --- Panels ---------------------------------------------------------------------------------------


def champion_duties(user, *, today: dt.date) -> list[dict]:
    """For a member of staff who is a champion: who they support, per plan, and the plan's
    next engagement activity. Like the actions on My actions, a champion sees their own
    pairing whatever the plan's state (it is their assignment), except on a closed plan and
    outside their homes. Four queries."""
    rows = list(
        Champion.objects.filter(user=user, plan__home_id__in=list(roles_by_home(user)))
        .exclude(plan__status=Plan.Status.CLOSED)
        .select_related("plan__home", "protected_resource")
        .prefetch_related("supports", "groups")
        .order_by("plan__title", "id")
    )
    if not rows:
        return []
    upcoming: dict[int, EngagementActivity] = {}
    for activity in (
        EngagementActivity.objects.filter(plan_id__in=[c.plan_id for c in rows], held_on__gte=today)
        .select_related("facilitator")
        .order_by("held_on", "id")
    ):
        upcoming.setdefault(activity.plan_id, activity)
    return [
        {
            "champion": c,
            "plan": c.plan,
            "supports": list(c.supports.all()),
            "groups": list(c.groups.all()),
            "next_activity": upcoming.get(c.plan_id),
        }
        for c in rows
    ]


def reminder_lines(user, today: dt.date) -> list[str]:
    """Lines for the daily reminder email: communication items this user owns that are
    overdue, on plans in their homes that are still running. One query."""
    homes = list(roles_by_home(user))
    items = (
        CommunicationItem.objects.overdue(today)
        .filter(owner=user, plan__home_id__in=homes)
        .exclude(plan__status=Plan.Status.CLOSED)
        .select_related("stakeholder", "plan__home")
        .order_by("next_due", "id")
    )
    lines = []
    for item in items:
        late = (today - item.next_due).days
        lines.append(
            f"Message to {item.stakeholder.name} ({item.get_channel_display().lower()}): “{item.message[:80]}”, "
            f"due {item.next_due:%-d %b %Y}, {late} day{'s' if late != 1 else ''} ago "
            f"({item.plan.title}, {item.plan.home.name})"
        )
    return lines
