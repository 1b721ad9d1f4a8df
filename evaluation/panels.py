"""What the evaluation shows outside its own pages: its panel under question 5 on the plan
page, the KPIs a person owns on My actions (to record a measurement there), the managers'
dashboard panel (KPIs off target long enough to ask for an adjustment), and the daily
reminder's lines (a weekly KPI with no measurement for over a week)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oakview.core.access import roles_by_home
from oakview.core.dashboard import Panel as DashboardPanel
from oakview.core.dashboard import register_panel
from oakview.core.formats import long_date
from oakview.core.models import Role
from plans.models import Plan, PlanRevision
from plans.parts import Panel

from . import rules, selectors, snapshot
from .models import KPI, Measurement

RUNNING = (Plan.Status.APPROVED, Plan.Status.IN_PROGRESS, Plan.Status.EVALUATING)
OVERDUE_DAYS = {KPI.Frequency.DAILY: 2, KPI.Frequency.WEEKLY: 8}


def _live(plan: Plan) -> dict[str, Any] | None:
    snap = {
        "plan": {"go_live_date": plan.go_live_date.isoformat() if plan.go_live_date else None},
        "evaluation": snapshot.build(plan),
    }
    return snapshot.document(snap, id_prefix="panel", charts_for=False)


def plan_panels(plan: Plan) -> list[Panel]:
    if not selectors.can_read(getattr(plan, "viewer_role", None), plan):
        return []
    context = _live(plan)
    kpis = context["kpis"] if context else []
    return [
        Panel(
            "evaluation/_plan_panel.html",
            {
                "plan": plan,
                "kpis": kpis,
                "doc": context,
                "prompts": [k for k in kpis if k["status"].needs_adjustment],
            },
            slot="evaluation",
            order=10,
        )
    ]


def owned_kpis(user: Any) -> list[dict[str, Any]]:
    """The KPIs this person owns in running plans of their homes, each with its status, for
    recording a measurement. Three queries."""
    homes = list(roles_by_home(user))
    approved = Exists(PlanRevision.objects.filter(plan=OuterRef("plan"), status=PlanRevision.Status.APPROVED))
    kpis = list(
        KPI.objects.filter(owner=user, plan__home_id__in=homes, series_ref="")
        .filter(Q(plan__status__in=RUNNING) | (Q(plan__status__in=selectors.RESUBMITTED) & approved))
        .select_related("plan__home")
        .order_by("plan__title", "order", "id")
    )
    if not kpis:
        return []
    readings: dict[int, list[rules.Reading]] = {}
    for m in Measurement.objects.filter(kpi__in=kpis).order_by("date").values("kpi_id", "date", "value"):
        readings.setdefault(m["kpi_id"], []).append(rules.Reading(m["date"], m["value"]))
    out = []
    for kpi in kpis:
        terms = rules.Terms(
            kpi.baseline,
            kpi.target,
            kpi.direction == KPI.Direction.HIGHER,
            kpi.baseline_date,
            kpi.target_date,
            kpi.plan.go_live_date,
        )
        out.append({"kpi": kpi, "status": rules.status(terms, readings.get(kpi.pk, [])), "plan": kpi.plan})
    return out


def my_actions_panels(user: Any) -> list[Panel]:
    rows = owned_kpis(user)
    return [Panel("evaluation/_my_actions_panel.html", {"rows": rows, "today": timezone.localdate()}, order=30)] if rows else []


@register_panel
def evaluation_panel(request: HttpRequest, roles: dict[int, str]) -> DashboardPanel | None:
    """For managers: the KPIs, per running plan, off target for two readings in a row."""
    home_ids = [home_id for home_id, role in roles.items() if role == Role.MANAGER]
    if not home_ids:
        return None
    plans = list(Plan.objects.filter(home_id__in=home_ids, status__in=RUNNING, kpis__isnull=False).distinct().order_by("title"))
    prompts = []
    for plan in plans[:20]:
        context = _live(plan)
        for kpi in context["kpis"] if context else []:
            if kpi["status"].needs_adjustment:
                prompts.append({"plan": plan, "kpi": kpi})
    if not prompts:
        return None
    return DashboardPanel("evaluation/_dashboard.html", {"prompts": prompts}, order=45)


# --- The daily reminder ----------------------------------------------------------------------


def reminder_lines(today: dt.date) -> dict[int, list[str]]:
    """{owner id: lines}: a daily or weekly KPI in a plan in progress whose last measurement
    is older than its frequency allows. Two queries."""
    kpis = (
        KPI.objects.filter(
            plan__status__in=(Plan.Status.IN_PROGRESS, Plan.Status.EVALUATING),
            frequency__in=list(OVERDUE_DAYS),
            owner__isnull=False,
            series_ref="",
            plan__home__memberships__user=F("owner"),
        )
        .select_related("plan__home")
        .annotate(last=Max("measurements__date"))
    )
    lines: dict[int, list[str]] = {}
    for kpi in kpis:
        last = kpi.last
        due = OVERDUE_DAYS[KPI.Frequency(kpi.frequency)]
        if last is None or (today - last).days >= due:
            since = f"since {long_date(last)}" if last else "yet"
            url = reverse("evaluation:kpi", args=[kpi.pk])
            base = getattr(settings, "SITE_URL", "").rstrip("/")
            if kpi.owner_id is not None:
                lines.setdefault(kpi.owner_id, []).append(
                    f"No measurement of “{kpi.name}” {since} ({kpi.plan.title}, {kpi.plan.home.name}): {base}{url}"
                )
    return lines
