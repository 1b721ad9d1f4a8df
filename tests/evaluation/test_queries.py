"""The pages' query counts do not grow with the framework: the same at 5 KPIs with 12
measurements each as at 50 KPIs with 52 each."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import KPI, Evidence, Measurement
from plans.models import Plan
from plans.parts import build_snapshot, get_part

from .conftest import set_status
from .factories import ReviewFactory


def fill(plan, personas, kpis: int, weeks: int) -> None:
    """Replace the framework with `kpis` KPIs (half owned by the staff member) of `weeks`
    weekly readings each, a piece of evidence per KPI and a review."""
    KPI.objects.filter(plan=plan).delete()
    today = timezone.localdate()
    made = KPI.objects.bulk_create(
        KPI(
            plan=plan,
            name=f"KPI {i:02}",
            kind="quantitative" if i % 2 else "qualitative",
            dimension="technical" if i % 2 else "cultural",
            unit="%",
            highest=Decimal("100"),
            baseline=Decimal("40"),
            baseline_date=today - dt.timedelta(days=7 * weeks),
            target=Decimal("90"),
            target_date=today + dt.timedelta(days=30),
            data_source="Audit",
            owner=personas.staff if i % 2 else personas.manager,
            order=i,
        )
        for i in range(kpis)
    )
    Measurement.objects.bulk_create(
        Measurement(kpi=k, date=today - dt.timedelta(days=7 * w), value=Decimal(40 + w % 50)) for k in made for w in range(weeks)
    )
    Evidence.objects.bulk_create(
        Evidence(plan=plan, kpi=k, source="staff", method="interview", date=today, summary=f"Said {k.name}", themes="a, b")
        for k in made
    )
    ReviewFactory(plan=plan)


PAGES = ["dashboard", "evidence", "reviews", "benefits"]


def _count(client, url):
    client.get(url)  # warm: session and content types cached from here on
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_are_flat_from_5x12_to_50x52(personas, plan, page):
    client = personas.client(personas.manager)
    url = reverse(f"evaluation:{page}", args=[plan.pk])
    counts = []
    for kpis, weeks in ((5, 12), (50, 52)):
        fill(plan, personas, kpis, weeks)
        counts.append(_count(client, url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20


def test_the_kpi_page_and_my_actions_are_flat(personas, plan):
    set_status(plan, Plan.Status.IN_PROGRESS)
    client = personas.client(personas.staff)
    counts = {"kpi": [], "mine": []}
    for kpis, weeks in ((5, 12), (50, 52)):
        fill(plan, personas, kpis, weeks)
        kpi = KPI.objects.filter(plan=plan, owner=personas.staff).first()
        counts["kpi"].append(_count(client, reverse("evaluation:kpi", args=[kpi.pk])))
        counts["mine"].append(_count(client, reverse("plans:my-actions")))
    assert counts["kpi"][0] == counts["kpi"][1], counts
    assert counts["mine"][0] == counts["mine"][1], counts


def test_the_snapshot_and_readiness_are_flat(personas, plan, django_assert_num_queries):
    part = get_part("evaluation")
    counts = []
    for kpis, weeks in ((5, 12), (50, 52)):
        fill(plan, personas, kpis, weeks)
        with CaptureQueriesContext(connection) as captured:
            snap = build_snapshot(plan)
            part.readiness(plan)
        counts.append(len(captured))
    assert len(snap["evaluation"]["measurements"]) == 50 * 52
    assert counts[0] == counts[1], counts
