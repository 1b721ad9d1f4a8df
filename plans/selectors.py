"""Reads for the drafting pages. Each page's query count is fixed whatever the number of rows
(tests/plans/test_plan_queries.py), so rows come with their relations prefetched."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from oakview.core.models import AuditEvent, Standard, User
from plans.models import Action, ActionUpdate, Driver, Plan, PlanRevision, Resource, TrainingSession
from plans.parts import readiness_problems
from plans.rows import ROW_TYPES, RowType, in_section
from plans.services import drift, workflow
from plans.snapshot import care_hours
from plans.snapshot.charts import cover_chart_svg
from plans.snapshot.sections import SECTIONS, WORD_GUIDE, Section
from plans.snapshot.text import render_markdown, word_count, word_guide_status

DUE_SOON_DAYS = 14


def plan_list(user: User, *, status: str = "", home_id: int | None = None) -> QuerySet[Plan]:
    today = timezone.localdate()
    plans = (
        Plan.objects.visible_to(user)
        .with_home()
        .annotate(
            action_count=Count("actions", distinct=True),
            open_action_count=Count("actions", filter=Action.open_q("actions"), distinct=True),
            overdue_count=Count("actions", filter=Action.overdue_q(today, "actions"), distinct=True),
        )
    )
    if status:
        plans = plans.filter(status=status)
    if home_id:
        plans = plans.filter(home_id=home_id)
    return plans


def plan_with_rows(plan: Plan) -> Plan:
    """The plan's rows with everything the page shows, in a fixed number of queries:
    drivers, driver standards, objectives, resources (+owner), milestones, actions
    (+owner, milestone), action standards, training sessions, session attendees."""
    standards = Prefetch("standards", queryset=Standard.objects.select_related("framework"))
    # On the plan already loaded by the access check (it carries viewer_role).
    prefetch_related_objects(
        [plan],
        Prefetch("drivers", queryset=Driver.objects.prefetch_related(standards)),
        "objectives",
        Prefetch("resources", queryset=Resource.objects.select_related("owner")),
        "milestones",
        Prefetch("actions", queryset=Action.objects.select_related("owner", "milestone").prefetch_related(standards)),
        Prefetch("training_sessions", queryset=TrainingSession.objects.prefetch_related("attendees")),
    )
    return plan


@dataclass
class SectionView:
    section: Section
    html: str
    words: int
    rows: list[RowType]  # the kinds of row listed in this section


@dataclass
class ResourceTotals:
    by_kind: list = field(default_factory=list)  # [(label, total, secured)]
    total: Decimal = Decimal("0")
    secured: Decimal = Decimal("0")


def resource_totals(resources: Any) -> ResourceTotals:
    totals = ResourceTotals()
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal("0"), Decimal("0")])
    for r in resources:
        sums[r.kind][0] += r.total_cost
        if r.secured:
            sums[r.kind][1] += r.total_cost
    for kind, label in Resource.Kind.choices:
        if kind in sums:
            totals.by_kind.append((label, sums[kind][0], sums[kind][1]))
            totals.total += sums[kind][0]
            totals.secured += sums[kind][1]
    return totals


def plan_page(plan: Plan) -> dict[str, Any]:
    """Everything the plan page shows, from the prefetched plan."""
    plan_with_rows(plan)
    sections = [
        SectionView(s, render_markdown(plan.narrative(s)), word_count(plan.narrative(s)), in_section(s.key)) for s in SECTIONS
    ]
    total_words = sum(s.words for s in sections)
    cover = care_hours.cover_for_plan(plan)
    cover_days = care_hours.training_days(cover)
    today = timezone.localdate()
    actions = list(plan.actions.all())
    return {
        "sections": sections,
        "total_words": total_words,
        "word_guide": WORD_GUIDE,
        "word_status": word_guide_status(total_words),
        "resource_totals": resource_totals(plan.resources.all()),
        "cover_days": cover_days,
        "cover_chart": cover_chart_svg(cover_days),
        "cover_short": care_hours.shortfall_days(cover),
        "cover_day_count": len(cover),
        "today": today,
        "overdue_count": sum(1 for a in actions if a.is_overdue(today)),
    }


def my_actions(user: User) -> dict[str, Any]:
    """The signed-in user's actions across their homes: overdue, due soon, later, done."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    actions = (
        Action.objects.for_owner(user)
        .select_related("plan__home", "milestone")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")))
        .order_by("due_date", "id")
    )
    groups: dict[str, list[Action]] = {"overdue": [], "soon": [], "later": [], "done": []}
    for a in actions:
        if a.status == Action.Status.DONE:
            groups["done"].append(a)
        elif a.is_overdue(today):
            groups["overdue"].append(a)
        elif a.due_date and a.due_date <= soon:
            groups["soon"].append(a)
        else:
            groups["later"].append(a)
    groups["done"].sort(key=lambda a: a.completed_at or timezone.now(), reverse=True)
    return {"groups": groups, "today": today, "soon_days": DUE_SOON_DAYS}


def my_training(user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(attendees=user, plan__home__memberships__user=user)
        .select_related("plan__home")
        .order_by("starts_at")
    )


# --- Timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    who: str
    what: str  # "Action “Order tablets” changed"
    detail: str = ""


_VERB = {"+": "added", "~": "changed", "-": "deleted"}


def _who(user: User | None) -> str:
    return user.display_name if user is not None else "System"


def plan_timeline(plan: Plan, *, limit: int = 30) -> list[TimelineEntry]:
    """Changes to the plan and its rows (simple-history) merged with the audit trail
    (transitions, decisions, exports), newest first, at most `limit`.

    A fixed number of queries: one per history table, one for action notes, one for audit
    events, each capped at `limit`, so a plan with years of edits costs the same to show.
    """
    entries: list[TimelineEntry] = []
    plan_history = list(plan.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    for i, record in enumerate(plan_history[:limit]):
        previous = plan_history[i + 1] if i + 1 < len(plan_history) else None
        detail = ""
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version", "updated_at", "created_at"])
            detail = ", ".join(str(getattr(Plan._meta.get_field(c.field), "verbose_name", c.field)) for c in delta.changes)
        verb = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        entries.append(TimelineEntry(record.history_date, _who(record.history_user), f"Plan {verb}", detail))

    for row in ROW_TYPES:
        history = row.model.history  # type: ignore[attr-defined]  # every row model keeps simple-history
        records = history.filter(plan_id=plan.pk).select_related("history_user").order_by("-history_date", "-history_id")[:limit]
        for record in records:
            entries.append(
                TimelineEntry(
                    record.history_date,
                    _who(record.history_user),
                    f"{row.snapshot.singular} “{getattr(record, row.name_field)}” {_VERB[record.history_type]}",
                )
            )
    notes = ActionUpdate.objects.filter(action__plan=plan).select_related("author", "action").order_by("-created_at")[:limit]
    for note in notes:
        change = f"{Action.Status(note.status_from).label} → {Action.Status(note.status_to).label}" if note.status_to else ""
        entries.append(
            TimelineEntry(
                note.created_at,
                _who(note.author),
                f"Update on action “{note.action.title}”",
                " — ".join(filter(None, [change, note.note])),
            )
        )
    events = AuditEvent.objects.for_object(plan).select_related("actor")[:limit]
    for event in events:
        entries.append(TimelineEntry(event.created_at, _who(event.actor), event.summary))
    entries.sort(key=lambda e: e.when, reverse=True)
    return list(islice(entries, limit))


# --- Panels and the workflow box ---------------------------------------------------------------

# States in which the manager is working towards a (new) submission.
_PREPARING = {Plan.Status.DRAFT, Plan.Status.CHANGES_REQUESTED, Plan.Status.APPROVED, Plan.Status.IN_PROGRESS}


def workflow_box(plan: Plan, user: User) -> dict[str, Any]:
    """The box at the top of the plan page: status, readiness, the buttons this user may
    press, the revision in force and the latest decision, the timeline."""
    perms = plan.perms
    revisions = list(plan.revisions.select_related("submitted_by").order_by("-number")[:20])
    latest = revisions[0] if revisions else None
    decision = latest.decisions.select_related("approver").first() if latest else None
    buttons = [
        {"label": t.label, "url": reverse(t.url_name, args=[plan.pk]), "action": t.action}
        for t in workflow.allowed_transitions(plan, user)
        if t.action not in (workflow.Action.APPROVE, workflow.Action.REQUEST_CHANGES)  # decided on the review page
    ]
    problems = readiness_problems(plan) if perms.can_manage and plan.status in _PREPARING else None
    return {
        "latest": latest,
        "in_force": next((r for r in revisions if r.status == PlanRevision.Status.APPROVED), None),
        "decision": decision,
        "buttons": buttons,
        "problems": problems,
        # Changes since approval, for the manager (to submit) and the approvers (who signed off
        # something else); refreshing them keeps the drift episode, and its one mail, in step.
        "material": drift.drift_refresh(plan)
        if (perms.can_manage or perms.can_review) and plan.status in drift.DRIFT_STATES
        else [],
        "can_review": perms.can_review and latest is not None,
        "awaiting_me": plan.status == Plan.Status.IN_REVIEW and workflow.can(plan, workflow.Action.APPROVE, user),
        "timeline": list(workflow.plan_timeline(plan)[:8]) if perms.can_review else [],
        "can_adjust": perms.can_manage and plan.status == Plan.Status.IN_PROGRESS,
    }
