"""What gaining support asks of a plan before it goes to the approver (readiness), and what
counts as a departure from the approved revision (drift)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan
from plans.parts import Drift, Problem

from . import rules, selectors, snapshot, vocab
from .models import Champion, Concern, EngagementActivity, Stakeholder

PART = "stakeholders"


def join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- Readiness -------------------------------------------------------------------------------


def readiness(plan: Plan) -> list[Problem]:
    """The checks before submission, in a fixed number of queries: the stakeholders with
    their message counts, whether there is an activity, the champions (three), the overdue
    concerns and the grid points."""
    map_url = reverse("stakeholders:map", args=[plan.pk])
    engagement_url = reverse("stakeholders:engagement", args=[plan.pk])
    problems = _map_problems(plan, map_url, engagement_url)
    if not EngagementActivity.objects.filter(plan=plan).exists():
        problems.append(
            Problem(
                PART,
                "Plan at least one engagement activity you will lead, such as a workshop or a pilot group.",
                f"{engagement_url}#activities",
            )
        )
    champion_rows = selectors.champions(plan)
    if not champion_rows:
        problems.append(
            Problem(
                PART,
                "Name at least one change champion and pair them with the staff they will support.",
                f"{engagement_url}#champions",
            )
        )
    problems.extend(_concern_warnings(plan))
    if champion_rows:  # with none, the problem above already says what to do
        messages = selectors.plan_coverage(selectors.grid_points(plan), champion_rows).messages()
        messages += protected_time_messages(plan, champion_rows)
        problems.extend(Problem(PART, m, f"{engagement_url}#champions", blocking=False) for m in messages)
    return problems


def _map_problems(plan: Plan, map_url: str, engagement_url: str) -> list[Problem]:
    stakeholders = list(Stakeholder.objects.filter(plan=plan).annotate(messages=Count("communications")).order_by("name"))
    if not stakeholders:
        return [
            Problem(
                PART,
                "Map the stakeholders: who has power over the change, who it affects, and where each stands on it.",
                map_url,
            )
        ]
    problems = []
    for s in stakeholders:
        if not (vocab.is_high(s.power) and s.stance_info.resistant):
            continue
        missing = []
        if not s.strategy.strip():
            missing.append("no strategy for engaging them")
        if not s.messages:  # annotated above
            missing.append("no item in the communication plan")
        if missing:
            url = (
                reverse("stakeholders:stakeholder-edit", args=[s.pk])
                if not s.strategy.strip()
                else f"{engagement_url}#communications"
            )
            problems.append(
                Problem(
                    PART,
                    f"{s.name} ({s.stance_info.name.lower()}, power {s.power}) has {join(missing)}: "
                    "a powerful group that doubts the change needs both.",
                    url,
                )
            )
    return problems


def _concern_warnings(plan: Plan) -> list[Problem]:
    overdue = Concern.objects.filter(plan=plan).overdue(timezone.localdate()).count()
    if not overdue:
        return []
    many = overdue != 1
    return [
        Problem(
            PART,
            f"{overdue} concern{'s' if many else ''} raised more than {rules.CONCERN_ANSWER_DAYS} days ago "
            f"{'have' if many else 'has'} no response yet: answer {'them' if many else 'it'}, "
            "even if only to say when you will know more.",
            reverse("stakeholders:concerns", args=[plan.pk]) + "?status=overdue",
            blocking=False,
        )
    ]


def protected_time(plan: Plan, champion_rows: list[Champion]) -> list[rules.ResourceUse]:
    """The champions' protected hours over the plan against the resources that pay for them
    (from the champions as loaded, with their resources: no query)."""
    if plan.start_date is None or plan.end_date is None:
        return []  # the plan's own checklist asks for its dates first
    resources = {
        c.protected_resource.pk: {
            "description": c.protected_resource.description,
            "quantity": c.protected_resource.quantity,
            "unit": c.protected_resource.unit,
        }
        for c in champion_rows
        if c.protected_resource is not None
    }
    champions = [
        {
            "name": c.user.display_name,
            "hours_per_week": c.protected_hours_per_week,
            "from": c.protected_from,
            "resource_id": c.protected_resource_id,
        }
        for c in champion_rows
    ]
    return rules.protected_time(champions=champions, resources=resources, plan_start=plan.start_date, plan_end=plan.end_date)


def protected_time_messages(plan: Plan, champion_rows: list[Champion]) -> list[str]:
    return [m for use in protected_time(plan, champion_rows) if (m := use.message())]


# --- Drift -----------------------------------------------------------------------------------


def drift(approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
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
            found.append(Drift(PART, f"Champion {champion.get('name')} was in the approved plan and has been removed."))
    live_activities = {a.get("id") for a in after["engagements"]}
    for activity in before["engagements"]:
        if activity.get("id") not in live_activities:
            kind = str(activity.get("kind", "activity")).lower()
            found.append(Drift(PART, f"The {kind} '{activity.get('title')}' was in the approved plan and has been removed."))
    covered_before = {s.shift for s in snapshot.coverage_of(before, snapshot.points_of(before)).shifts if s.champions}
    for gap in snapshot.coverage_of(after, snapshot.points_of(after)).gaps:
        if gap.shift in covered_before:
            found.append(
                Drift(
                    PART,
                    f"{gap.name} had a champion in the approved plan and now has none, "
                    f"though {join(list(gap.resistant_groups))} still doubt the change.",
                )
            )
    approved_ids = {s.get("id") for s in before["stakeholders"]}
    for row in after["stakeholders"]:
        point = snapshot.point_of(row)
        if row.get("id") not in approved_ids and vocab.is_high(point.power) and point.stance.resistant:
            found.append(
                Drift(
                    PART,
                    f"New since approval: {point.name}, {point.stance.name.lower()} with power {point.power}.",
                    material=False,
                )
            )
    return found
