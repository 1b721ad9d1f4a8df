"""Reads for the drafting pages. Each page's query count is fixed whatever the number of rows
(tests/plans/test_plan_queries.py), so rows come with their relations prefetched."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone

from oakview.core.models import AuditEvent, Standard, User
from plans.models import (
    Action,
    ActionUpdate,
    CommentReply,
    Driver,
    Milestone,
    Plan,
    PlanRevision,
    Resource,
    ReviewComment,
    TrainingSession,
)
from plans.parts import Problem, get_part, readiness_problems
from plans.rows import ROW_TYPES, RowType, in_section
from plans.services import drift, workflow
from plans.snapshot import care_hours
from plans.snapshot.charts import cover_chart_svg
from plans.snapshot.gantt import gantt_svg
from plans.snapshot.progress import (
    MILESTONE_LABELS,
    REACHED,
    SECTION_WORD_GUIDE,
    days_until,
    milestone_state,
    section_words_status,
)
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
    statuses: dict[int, list[str]] = defaultdict(list)
    for a in actions:
        if a.milestone_id:
            statuses[a.milestone_id].append(a.status)
    for m in plan.milestones.all():
        m.state = milestone_state(m.done, statuses.get(m.pk, []))  # type: ignore[attr-defined]
        m.state_label = MILESTONE_LABELS[m.state]  # type: ignore[attr-defined]
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


# --- The overview and the section pages ---------------------------------------------------------


@dataclass
class SectionStatus:
    """One question's completeness: its words against the guide, its records, what is open."""

    section: Section
    words: int
    word_status: str  # under | within | over (plans.snapshot.progress.SECTION_WORD_GUIDE)
    problems: list[Problem]  # this question's readiness items (blocking and warnings)
    rows: list[tuple[str, int]] = field(default_factory=list)  # [("Actions", 12)]

    @property
    def blocking(self) -> int:
        return sum(1 for p in self.problems if p.blocking)

    @property
    def done(self) -> bool:
        return self.words > 0 and not self.blocking

    @property
    def url(self) -> str:
        return reverse("plans:plan-section", args=[self.section_plan_pk, self.section.key])

    section_plan_pk: int = 0


def _problem_section(problem: Problem) -> int | None:
    if problem.section is not None:
        return problem.section
    part = get_part(problem.part)
    return part.section if part is not None else None


def section_statuses(plan: Plan, problems: list[Problem] | None) -> tuple[list[SectionStatus], list[Problem]]:
    """Each question's status, and the readiness items that belong to no question. Row
    counts: one small query per kind of row, whatever the number of rows."""
    by_section: dict[int | None, list[Problem]] = defaultdict(list)
    for problem in problems or []:
        by_section[_problem_section(problem)].append(problem)
    counts = {row.kind: row.model.objects.filter(plan=plan).count() for row in ROW_TYPES}  # type: ignore[attr-defined]
    statuses = []
    for s in SECTIONS:
        words = word_count(plan.narrative(s))
        rows = [(row.snapshot.title[:1].lower() + row.snapshot.title[1:], counts[row.kind]) for row in in_section(s.key)]
        statuses.append(SectionStatus(s, words, section_words_status(words), by_section.pop(s.number, []), rows, plan.pk))
    general = [p for problems_ in by_section.values() for p in problems_]
    return statuses, general


@dataclass
class Progress:
    actions: int = 0
    actions_done: int = 0
    overdue: int = 0
    milestones: int = 0
    milestones_reached: int = 0
    next_milestone: Any = None  # the first milestone not yet reached, by date
    days_to_go_live: int | None = None
    open_items: int = 0  # blocking readiness items

    @property
    def actions_percent(self) -> int:
        """To the nearest 5, so the bar's width is a class of the stylesheet (no inline style)."""
        return 5 * round(20 * self.actions_done / self.actions) if self.actions else 0


def milestones_with_state(plan: Plan) -> list[Any]:
    """The plan's milestones by date, each with .state derived from its actions: one query."""
    milestones: list[Any] = list(
        Milestone.objects.filter(plan=plan)
        .annotate(
            action_total=Count("actions"),
            action_done=Count("actions", filter=Q(actions__status=Action.Status.DONE)),
            action_started=Count("actions", filter=~Q(actions__status=Action.Status.NOT_STARTED)),
        )
        .order_by("due_date", "pk")
    )
    for m in milestones:
        statuses = ["done"] * m.action_done + ["in_progress"] * (m.action_started - m.action_done)
        statuses += ["not_started"] * (m.action_total - m.action_started)
        m.state = milestone_state(m.done, statuses)
        m.state_label = MILESTONE_LABELS[m.state]
    return milestones


def plan_progress(plan: Plan, problems: list[Problem] | None, milestones: list[Any]) -> Progress:
    today = timezone.localdate()
    counts = Action.objects.filter(plan=plan).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        overdue=Count("pk", filter=Action.overdue_q(today)),
    )
    return Progress(
        actions=counts["total"],
        actions_done=counts["done"],
        overdue=counts["overdue"],
        milestones=len(milestones),
        milestones_reached=sum(1 for m in milestones if m.state == REACHED),
        next_milestone=next((m for m in milestones if m.state != REACHED), None),
        days_to_go_live=days_until(plan.go_live_date, today),
        open_items=sum(1 for p in problems or [] if p.blocking),
    )


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    label: str = ""


def next_step(plan: Plan, box: dict[str, Any], progress: Progress) -> NextStep | None:
    """The one thing to do next, for the person looking: from the checklist, the workflow
    and the actions."""
    perms = plan.perms
    status = plan.status
    if box.get("awaiting_me"):
        return NextStep(
            f"Revision {box['latest'].number} is waiting for your decision.",
            reverse("plans:plan-review", args=[plan.pk]),
            "Review it",
        )
    if not perms.can_manage:
        return None
    problems = [p for p in box.get("problems") or [] if p.blocking]
    buttons = {b["action"]: b for b in box.get("buttons") or []}
    if status == Plan.Status.IN_REVIEW:
        number = f" {box['latest'].number}" if box.get("latest") else ""
        return NextStep(f"Revision{number} is with the home's approvers. You will be told when they decide.")
    if problems:
        more = f" ({len(problems) - 1} more item{'s' if len(problems) > 2 else ''} after this)" if len(problems) > 1 else ""
        return NextStep(f"{problems[0].message}{more}", problems[0].url, "Fix this")
    if "submit" in buttons:
        return NextStep("Every check passes: send the plan for approval.", buttons["submit"]["url"], "Submit for approval")
    if "start" in buttons:
        return NextStep("The plan is approved: start implementing it.", buttons["start"]["url"], "Start implementation")
    if status == Plan.Status.IN_PROGRESS and progress.overdue:
        url = reverse("plans:plan-section", args=[plan.pk, "planning"]) + "#rows-action"
        return NextStep(
            f"{progress.overdue} action{'s are' if progress.overdue > 1 else ' is'} overdue: chase or re-plan.",
            url,
            "See the actions",
        )
    if status == Plan.Status.IN_PROGRESS:
        return NextStep("Keep the actions up to date as the team completes them; record any adjustment.")
    if "close" in buttons:
        return NextStep(
            "Evaluate the change against its measures, then close it with a final decision.",
            buttons["close"]["url"],
            "Close the plan",
        )
    return None


def plan_gantt(plan: Plan, milestones: list[Any], today: dt.date) -> Any:
    """The overview's timeline from the live rows: two queries (actions, training)."""
    actions = [
        {"title": a["title"], "due_date_d": a["due_date"], "milestone_key": a["milestone_id"], "status_key": a["status"]}
        for a in Action.objects.filter(plan=plan).values("title", "due_date", "milestone_id", "status")
    ]
    training = [
        {"day": timezone.localtime(t["starts_at"]).date(), "title": t["title"]}
        for t in TrainingSession.objects.filter(plan=plan).values("title", "starts_at")
        if t["starts_at"]
    ]
    rows = [{"key": m.pk, "title": m.title, "due_date_d": m.due_date, "done": m.state == REACHED} for m in milestones]
    return gantt_svg(
        start=plan.start_date,
        go_live=plan.go_live_date,
        end=plan.end_date,
        milestones=rows,
        actions=actions,
        training=training,
        today=today,
    )


def plan_overview(plan: Plan, box: dict[str, Any]) -> dict[str, Any]:
    """The overview page: progress, the next step, a card per question. A fixed number of
    queries whatever the number of rows."""
    problems = box.get("problems")
    statuses, general = section_statuses(plan, problems)
    milestones = milestones_with_state(plan)
    progress = plan_progress(plan, problems, milestones)
    total_words = sum(s.words for s in statuses)
    return {
        "statuses": statuses,
        "general_problems": general,
        "progress": progress,
        "milestones": milestones,
        "next_step": next_step(plan, box, progress),
        "gantt": plan_gantt(plan, milestones, timezone.localdate()),
        "total_words": total_words,
        "word_guide": WORD_GUIDE,
        "section_word_guide": SECTION_WORD_GUIDE,
        "word_status": word_guide_status(total_words),
        "row_anchors": [(row.kind, row.section) for row in ROW_TYPES],
    }


# --- The dashboard ---------------------------------------------------------------------------


def dashboard_plans(user: User, home_ids: list[int], *, progress_for: list[int], limit: int = 10) -> list[Plan]:
    """The dashboard's plans; those of homes the user manages with their progress: actions
    done, overdue, the next milestone, days to go-live, care-hours warnings, unanswered
    comments. A fixed number of queries for up to `limit` plans."""
    today = timezone.localdate()
    unanswered = ReviewComment.objects.filter(revision__plan=OuterRef("pk"), resolved_at__isnull=True, replies__isnull=True)
    plans = list(
        Plan.objects.visible_to(user)
        .filter(home_id__in=home_ids)
        .select_related("home")
        .annotate(
            action_total=Count("actions", distinct=True),
            action_done=Count("actions", filter=Q(actions__status=Action.Status.DONE), distinct=True),
            action_overdue=Count("actions", filter=Action.overdue_q(today, "actions"), distinct=True),
            unanswered=Subquery(unanswered.values("revision__plan").annotate(n=Count("pk")).values("n")[:1]),
        )
        .order_by("-updated_at")[:limit]
    )
    managed = [p for p in plans if p.home_id in progress_for]
    prefetch_related_objects(
        managed, Prefetch("training_sessions", queryset=TrainingSession.objects.prefetch_related("attendees"))
    )
    milestones: dict[int, list[Any]] = defaultdict(list)
    for m in (
        Milestone.objects.filter(plan__in=managed)
        .annotate(action_total=Count("actions"), action_done=Count("actions", filter=Q(actions__status=Action.Status.DONE)))
        .order_by("due_date", "pk")
    ):
        reached = m.done or (m.action_total and m.action_total == m.action_done)
        if not reached:
            milestones[m.plan_id].append(m)
    for plan in plans:
        plan.show_progress = plan in managed  # type: ignore[attr-defined]
        plan.next_milestone = (milestones.get(plan.pk) or [None])[0]  # type: ignore[attr-defined]
        plan.days_to_go_live = days_until(plan.go_live_date, today)  # type: ignore[attr-defined]
        plan.short_days = (  # type: ignore[attr-defined]
            sum(1 for d in care_hours.plan_shortfall_days(plan) if d.has_training) if plan in managed else 0
        )
        plan.unanswered = plan.unanswered or 0  # type: ignore[attr-defined]
    return plans


# --- Review conversations ----------------------------------------------------------------------


def conversations(plan: Plan, *, section: str | None = None, open_only: bool = False) -> list[ReviewComment]:
    """The plan's review comments with their replies, open ones first: three queries."""
    comments = ReviewComment.objects.filter(revision__plan=plan).select_related("author", "resolved_by", "revision")
    if section is not None:
        comments = comments.filter(section=section)
    if open_only:
        comments = comments.filter(resolved_at__isnull=True)
    found = list(comments.prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author"))))
    return sorted(found, key=lambda c: (c.is_resolved, c.created_at))


def open_comments(plan: Plan, limit: int = 20) -> list[ReviewComment]:
    """The plan's unresolved comments, oldest first, for the overview: one query."""
    return list(
        ReviewComment.objects.filter(revision__plan=plan, resolved_at__isnull=True)
        .select_related("author", "revision")
        .annotate(reply_count=Count("replies"))
        .order_by("created_at", "pk")[:limit]
    )


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
    week = today + dt.timedelta(days=TODAY_DAYS)
    due_now = [a for a in groups["overdue"] + groups["soon"] if a.due_date and a.due_date <= week]
    return {"groups": groups, "today": today, "soon_days": DUE_SOON_DAYS, "due_now": due_now, "today_days": TODAY_DAYS}


# "Today" on the phone: what is overdue or due within this many days.
TODAY_DAYS = 7


def change_for_me(user: User, plan_ids: set[int]) -> list[dict[str, Any]]:
    """What each change means for this member of staff: the approved revision's message to
    staff and summary (not the whole essay), for the plans they have actions or training in
    (`plan_ids`, from what the page already loaded). One query: two fields of the snapshots."""
    if not plan_ids:
        return []
    approved = (
        PlanRevision.objects.filter(plan_id__in=plan_ids, plan__home__memberships__user=user, status=PlanRevision.Status.APPROVED)
        .values("plan_id", "number", "plan__title")
        .annotate(message=KT("snapshot__plan__staff_message"), summary=KT("snapshot__plan__summary"))
        .order_by("plan__title", "-number")
    )
    seen: dict[int, dict[str, Any]] = {}
    for row in approved:
        seen.setdefault(row["plan_id"], row)
    return list(seen.values())


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
PREPARING = _PREPARING = {Plan.Status.DRAFT, Plan.Status.CHANGES_REQUESTED, Plan.Status.APPROVED, Plan.Status.IN_PROGRESS}


def plan_problems(plan: Plan) -> list[Problem] | None:
    """The readiness checklist, for the manager while they prepare a submission; else None."""
    return readiness_problems(plan) if plan.perms.can_manage and plan.status in _PREPARING else None


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
    problems = plan_problems(plan)
    in_force_states = (Plan.Status.APPROVED, Plan.Status.IN_PROGRESS)
    # Changes since approval, for the manager (to submit) and the approvers (who signed off
    # something else); refreshing them keeps the drift episode, and its one mail, in step.
    material = drift.drift_refresh(plan) if (perms.can_manage or perms.can_review) and plan.status in drift.DRIFT_STATES else []
    submit_note = ""
    if plan.status in in_force_states and not material and any(b["action"] == workflow.Action.SUBMIT for b in buttons):
        # With a revision in force, a new one is only worth asking for when something the
        # approver signed off has changed: otherwise the button would lock the plan for nothing.
        buttons = [b for b in buttons if b["action"] != workflow.Action.SUBMIT]
        submit_note = (
            "Nothing you have changed since the approved revision needs approval, so there is nothing to submit. "
            "Moving the go-live date, raising the cost or a risk above its approved band would."
        )
    return {
        "latest": latest,
        "in_force": next((r for r in revisions if r.status == PlanRevision.Status.APPROVED), None),
        "decision": decision,
        "buttons": buttons,
        "problems": problems,
        "material": material,
        "submit_note": submit_note,
        "can_review": perms.can_review and latest is not None,
        "awaiting_me": plan.status == Plan.Status.IN_REVIEW and workflow.can(plan, workflow.Action.APPROVE, user),
        "timeline": list(workflow.plan_timeline(plan)[:8]) if perms.can_review else [],
        "can_adjust": perms.can_manage and plan.status == Plan.Status.IN_PROGRESS,
    }
