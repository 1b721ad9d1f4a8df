"""The plan part's readiness checklist: what must be true before a plan is submitted.

Each Problem says what to fix and links to the section where it is fixed. Other apps add
theirs through their PlanPart (e.g. risks: every high or extreme risk has a mitigation and
a contingency); plans.parts.readiness_problems(plan) collects them all.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from oakview.core.formats import long_date
from plans.models import Plan
from plans.snapshot.care_hours import plan_shortfall_days
from plans.snapshot.sections import SECTION_BY_KEY, SECTIONS, WORD_GUIDE
from plans.snapshot.text import appendix_refs, words_in

from . import Problem, declared_appendices
from .loaded import rows_loaded

PART = "plan"
MIN_RESOURCES_WITH_COSTS = 3


def section_url(plan: Plan, section_key: str, anchor: str = "") -> str:
    """Where a section's records are edited: its section page, at the row or field."""
    url = reverse("plans:plan-section", args=[plan.pk, section_key])
    return f"{url}#{anchor}" if anchor else url


def narrative_url(plan: Plan, section_key: str) -> str:
    return reverse("plans:plan-section-edit", args=[plan.pk, section_key])


def plan_readiness(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []

    def problem(section: str, message: str, *, blocking: bool = True, anchor: str = "") -> None:
        number = SECTION_BY_KEY[section].number
        problems.append(Problem(PART, message, section_url(plan, section, anchor), blocking, number))

    for section in SECTIONS:
        if not plan.narrative(section).strip():
            message = f"Section {section.number} ({section.title}) has no narrative yet: write it."
            problems.append(Problem(PART, message, narrative_url(plan, section.key), section=section.number))

    # From the rows in memory when the plan page has loaded them; else a query each,
    # fetching only what the rules read.
    loaded = rows_loaded(plan)
    if loaded:
        has_evidence = any(d.evidence for d in plan.drivers.all())
        costed = sum(1 for r in plan.resources.all() if r.unit_cost > 0 and r.quantity > 0)
        actions = plan.actions.all()
        gaps = [(a.pk, a.title, a.owner_id, a.due_date) for a in actions if a.owner_id is None or a.due_date is None]
        has_actions = bool(actions)
    else:
        has_evidence = plan.drivers.exclude(evidence__exact="").exists()
        costed = plan.resources.filter(unit_cost__gt=0, quantity__gt=0).count()
        gaps = list(
            plan.actions.filter(Q(owner__isnull=True) | Q(due_date__isnull=True)).values_list(
                "pk", "title", "owner_id", "due_date"
            )
        )
        has_actions = bool(gaps) or plan.actions.exists()

    if not has_evidence:
        problem(
            "need",
            "Add at least one driver for change with its evidence (an audit finding, incident, inspection report...).",
            anchor="rows-driver",
        )

    if costed < MIN_RESOURCES_WITH_COSTS:
        problem(
            "planning",
            f"List at least {MIN_RESOURCES_WITH_COSTS} resources with their costs ({costed} costed so far).",
            anchor="rows-resource",
        )

    for pk, title, owner_id, due_date in gaps:
        missing = " and ".join(word for word, gap in (("an owner", owner_id is None), ("a due date", due_date is None)) if gap)
        # To the very row: its inline editor opens there (and bulk assign is beside it).
        problem("planning", f"Action \u201c{title}\u201d needs {missing}.", anchor=f"action-{pk}")
    if not has_actions:
        problem("planning", "Add the actions that deliver the plan, each with an owner and a due date.", anchor="rows-action")

    problems.extend(_care_hours_problems(plan))

    words = words_in({s.key: plan.narrative(s) for s in SECTIONS})
    low, high = WORD_GUIDE
    if not low <= words <= high:
        advice = "add detail" if words < low else "tighten the text"
        problem(
            "need",
            f"The written answers come to {words:,} words; the guide is {low:,}\u2013{high:,} ({advice}).",
            blocking=False,
        )
    problems.extend(_citation_problems(plan))
    return problems


def _citation_problems(plan: Plan) -> list[Problem]:
    """Warnings for an appendix no answer cites, and for a citation of no appendix. The
    PDF still refers to an uncited appendix in a "Supporting records" note; an assessor
    expects the answer itself to point to its evidence."""
    cited: dict[str, str] = {}
    for section in SECTIONS:
        for key in appendix_refs(plan.narrative(section)):
            cited.setdefault(key, section.key)
    declared = declared_appendices()
    problems = [
        Problem(
            PART,
            f"No answer cites the appendix \u201c{title}\u201d: write [[appendix:{key}]] where the answer relies on it.",
            narrative_url(plan, "need"),
            blocking=False,
        )
        for key, title in declared.items()
        if key not in cited
    ]
    problems += [
        Problem(
            PART,
            f"[[appendix:{key}]] in {SECTION_BY_KEY[section].title} names no appendix; "
            f"the appendices are: {', '.join(declared) or 'none'}.",
            narrative_url(plan, section),
            blocking=False,
        )
        for key, section in cited.items()
        if key not in declared
    ]
    return problems


def _care_hours_problems(plan: Plan) -> list[Problem]:
    # The rule is about training: a home whose rota is short every day is a staffing
    # matter, not something this plan can fix, so only days with training count.
    # One query for the sessions and one for their attendees, however many sessions.
    if not rows_loaded(plan):
        plan = Plan.objects.select_related("home").prefetch_related("training_sessions__attendees").get(pk=plan.pk)
    short = [day for day in plan_shortfall_days(plan) if day.has_training]
    if not short:
        return []
    days = ", ".join(long_date(day.day) for day in short[:5])
    more = f" and {len(short) - 5} more" if len(short) > 5 else ""
    return [
        Problem(
            PART,
            f"Training leaves the floor short of the required care hours on {days}{more}: add backfill hours or move attendees.",
            section_url(plan, "planning", "rows-training"),
            section=2,
        )
    ]
