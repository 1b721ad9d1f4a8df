"""A CSV of each list, for whoever may read the page it comes from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from oakview.core.formats import csv_response, short_date
from oakview.core.http import AuthedRequest

from .. import selectors


def _name(user) -> str:
    return user.display_name if user is not None else ""


@login_required
def stakeholders_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    rows = (
        [
            s.name,
            s.get_kind_display(),
            s.headcount,
            s.get_shift_pattern_display() if s.shift_pattern else "",
            s.power,
            s.interest,
            s.quadrant.name,
            s.get_stance_display(),
            s.concerns,
            s.needs_to_hear,
            s.strategy or s.quadrant.strategy,
            _name(s.owner),
        ]
        for s in selectors.map_rows(plan, {})
    )
    return csv_response(
        f"stakeholders-plan-{plan.pk}.csv",
        [
            "Name or group",
            "Kind",
            "People",
            "Shifts",
            "Power (1-5)",
            "Interest (1-5)",
            "Quadrant",
            "Stance",
            "Their concerns",
            "What they need to hear",
            "How we will engage them",
            "Owner",
        ],
        rows,
    )


@login_required
def engagement_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    rows = (
        [
            short_date(a.held_on),
            a.get_kind_display(),
            a.title,
            _name(a.facilitator),
            "; ".join(s.name for s in a.audience.all()),
            a.objectives,
            a.invited,
            "" if a.attended is None else a.attended,
            a.outcome,
            "; ".join(f.title for f in a.follow_ups.all()),
        ]
        for a in selectors.activities(plan)
    )
    return csv_response(
        f"engagement-plan-{plan.pk}.csv",
        [
            "Date",
            "Kind",
            "Activity",
            "Facilitator",
            "Audience",
            "Objectives",
            "Invited",
            "Attended",
            "Outcome",
            "Follow-up actions",
        ],
        rows,
    )


@login_required
def concerns_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    today = timezone.localdate()
    rows = (
        [
            short_date(c.raised_on),
            c.stakeholder.name if c.stakeholder else "",
            c.get_channel_display(),
            c.text,
            c.response,
            short_date(c.responded_on),
            c.action_taken,
            c.action.title if c.action else "",
            c.get_status_display(),
            "Yes" if c.is_overdue(today) else "No",
        ]
        for c in selectors.concern_rows(plan, {}, today=today)
    )
    return csv_response(
        f"concerns-plan-{plan.pk}.csv",
        [
            "Raised on",
            "Raised by",
            "How",
            "You said",
            "Our response",
            "Answered on",
            "We did",
            "Plan action",
            "Status",
            "Waiting over 14 days",
        ],
        rows,
    )


@login_required
def champions_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    rows = []
    for c in selectors.champions(plan):
        supports, groups = list(c.supports.all()), list(c.groups.all())
        rows.append(
            [
                c.user.display_name,
                c.get_shift_pattern_display(),
                "; ".join(_name(u) for u in supports),
                "; ".join(g.name for g in groups),
                len(supports) + sum(g.headcount for g in groups),
                c.max_supported,
                c.protected_hours_per_week,
                c.protected_resource.description if c.protected_resource else "",
                c.note,
            ]
        )
    return csv_response(
        f"champions-plan-{plan.pk}.csv",
        [
            "Champion",
            "Works",
            "People they support",
            "Staff groups",
            "People in all",
            "Cap",
            "Protected hours a week",
            "Paid from",
            "Note",
        ],
        rows,
    )


@login_required
def communications_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id)
    today = timezone.localdate()
    rows = (
        [
            i.stakeholder.name,
            i.message,
            i.get_channel_display(),
            i.get_frequency_display(),
            _name(i.owner),
            short_date(i.last_sent),
            short_date(i.next_due),
            "Yes" if i.is_overdue(today) else "No",
        ]
        for i in selectors.communications(plan)
    )
    return csv_response(
        f"communication-plan-{plan.pk}.csv",
        ["To", "Message", "Channel", "How often", "Owner", "Last sent", "Next due", "Overdue"],
        rows,
    )
