"""Creating a plan and changing its own fields (title, dates, section answers, narratives)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from oakview.core.locking import StaleEdit, save_versioned
from oakview.core.models import CareHome, User
from plans.models import Plan

from .guards import check_dates, history_by, locked_plan
from .rows import row_save
from .template import STARTER, PlanTemplate

# Plan fields a manager may edit (status and outcome belong to plans.services.workflow).
PLAN_FIELDS = (
    *Plan.SUBMISSION_FIELDS,
    "title",
    "summary",
    "start_date",
    "go_live_date",
    "end_date",
    "current_state",
    "desired_state",
    "safety_link",
    "staff_message",
    "narrative_need",
    "narrative_planning",
    "narrative_support",
    "narrative_implementation",
    "narrative_evaluation",
)


@transaction.atomic
def plan_create(
    *,
    home: CareHome,
    by: User,
    title: str,
    summary: str = "",
    start_date: dt.date | None = None,
    go_live_date: dt.date | None = None,
    end_date: dt.date | None = None,
    from_template: bool = False,
    template: PlanTemplate | None = None,
) -> Plan:
    """A new plan; with a template from the library (or from_template: the starter), its
    fields and rows filled in to adapt."""
    check_dates(start=start_date, go_live=go_live_date, end=end_date)
    plan = Plan(
        home=home,
        author=by,
        title=title,
        summary=summary,
        start_date=start_date,
        go_live_date=go_live_date,
        end_date=end_date,
    )
    history_by(plan, by)
    plan.save()
    if template is None and from_template:
        template = STARTER
    if template is not None:
        plan = plan_update(plan=plan, by=by, expected_version=plan.version, **template.fields(plan))
        for row, m2m in template.rows(plan):
            row_save(row=row, by=by, m2m=m2m)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by: User, expected_version: int, **fields: Any) -> Plan:
    """Change the editable fields given. The other fields are re-read from the database so a
    concurrent status change (submission) is never written back over."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    fresh = locked_plan(plan.pk)
    if fresh.version != expected_version:
        raise StaleEdit(fresh)
    for name, value in fields.items():
        setattr(fresh, name, value)
    check_dates(start=fresh.start_date, go_live=fresh.go_live_date, end=fresh.end_date)
    history_by(fresh, by)
    save_versioned(fresh, expected_version=expected_version)
    return fresh
