"""Question 5 in the browser: the KPI's owner records a measurement and sees the run chart
and the RAG status change; every evaluation page is clean under axe-core and fits a phone;
the demo's evaluation pages too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from evaluation.models import KPI, Measurement, Review
from oakview.core.models import Role
from plans.models import Adjustment, Plan
from tests.evaluation.factories import (
    BenefitLineFactory,
    BenefitsCaseFactory,
    EvidenceFactory,
    KPIFactory,
    MeasurementFactory,
    ReviewFactory,
)
from tests.factories import CareHomeFactory, PlanFactory, ResourceFactory, member

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def running_plan(transactional_db):
    home = CareHomeFactory(name="Oak View")
    manager = member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")
    priya = member(home, Role.STAFF, "staff1", first_name="Priya", last_name="Sharma")
    today = timezone.localdate()
    plan = PlanFactory(
        home=home,
        author=manager,
        title="Digital care records",
        start_date=today - dt.timedelta(days=60),
        go_live_date=today - dt.timedelta(days=28),
        end_date=today + dt.timedelta(days=63),
    )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_PROGRESS)
    plan.refresh_from_db()
    ResourceFactory(plan=plan, description="Tablets", quantity=Decimal("12"), unit_cost=Decimal("250"))
    notes = KPIFactory(
        plan=plan,
        name="Care notes recorded within an hour",
        owner=priya,
        baseline_date=plan.start_date,
        target_date=plan.end_date,
    )
    # Go-live dip, then a slow climb: behind the expected path by now.
    for weeks_ago, value in ((5, "70"), (4, "62"), (3, "66"), (2, "71"), (1, "72")):
        MeasurementFactory(kpi=notes, date=today - dt.timedelta(days=7 * weeks_ago), value=Decimal(value))
    KPIFactory(
        plan=plan,
        name="Staff confident using the system",
        kind=KPI.Kind.QUALITATIVE,
        dimension=KPI.Dimension.CULTURAL,
        baseline=Decimal("40"),
        target=Decimal("85"),
    )
    EvidenceFactory(plan=plan, kpi=notes, quotes="Handover is quicker now.")
    BenefitsCaseFactory(plan=plan, social_return="Time back with residents.")
    BenefitLineFactory(plan=plan)
    ReviewFactory(plan=plan, kind=Review.Kind.FINAL)
    Adjustment.objects.create(
        plan=plan,
        date=today - dt.timedelta(days=7),
        what_changed="Extra drop-ins",
        reason="Dip",
        impact="None",
        recorded_by=manager,
    )
    return plan


def test_the_owner_records_a_measurement_and_sees_the_chart_and_rag_change(page, live_server, running_plan):
    kpi = KPI.objects.get(plan=running_plan, name="Care notes recorded within an hour")
    sign_in(page, live_server, "staff1")
    page.goto(f"{live_server.url}/evaluation/kpis/{kpi.pk}/")
    status = page.locator("#status-heading .rag")
    assert status.inner_text() == "Behind"
    points = page.locator("#chart svg circle.run-point")
    assert points.count() == 5
    assert page.locator("#chart svg line.run-go-live").count() == 1
    assert "Go-live" in page.locator("#chart svg desc").text_content()
    assert serious_axe_violations(page) == []

    form = page.locator("#record")
    form.get_by_label("Value (%)").fill("96")
    form.get_by_label("Note").fill("Audit log, week 5")
    form.get_by_role("button", name="Record").click()
    page.get_by_text("Recorded 96 % for").wait_for()
    assert page.locator("#status-heading .rag").inner_text() == "Target met"
    assert page.locator("#chart svg circle.run-point").count() == 6
    assert Measurement.objects.filter(kpi=kpi).count() == 6

    # A bad value is refused beside the field, nothing saved.
    page.locator("#record").get_by_label("Value (%)").fill("lots")
    page.locator("#record").get_by_role("button", name="Record").click()
    page.get_by_text("Enter a number").wait_for()
    assert Measurement.objects.filter(kpi=kpi).count() == 6


def test_every_evaluation_page_is_accessible_and_fits_a_phone(page, live_server, running_plan):
    plan = running_plan
    kpi = KPI.objects.filter(plan=plan).first()
    measurement = Measurement.objects.filter(kpi=kpi).first()
    adjustment = Adjustment.objects.get(plan=plan)
    sign_in(page, live_server, "manager")
    paths = [
        f"/plans/{plan.pk}/evaluation/",
        f"/evaluation/kpis/{kpi.pk}/",
        f"/plans/{plan.pk}/evaluation/evidence/",
        f"/plans/{plan.pk}/evaluation/reviews/",
        f"/plans/{plan.pk}/evaluation/benefits/",
        f"/evaluation/kpis/{kpi.pk}/import/",
        f"/evaluation/measurements/{measurement.pk}/delete/",
        f"/evaluation/adjustments/{adjustment.pk}/",
        f"/plans/{plan.pk}/",
        "/actions/",
    ]
    found = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.get_by_role("heading", level=1).count() == 1, path
        violations = serious_axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    page.set_viewport_size({"width": 390, "height": 800})
    for path in paths[:5]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path


@pytest.fixture
def demo_plan(transactional_db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    return Plan.objects.get(home__name="Oak View")


@pytest.mark.parametrize("username", ["manager", "approver"])
def test_the_demos_evaluation_pages_are_accessible(page, live_server, demo_plan, username):
    sign_in(page, live_server, username, password="oakview-demo")
    pk = demo_plan.pk
    kpi = KPI.objects.filter(plan=demo_plan).first()
    paths = [
        f"/plans/{pk}/evaluation/",
        f"/evaluation/kpis/{kpi.pk}/",
        f"/plans/{pk}/evaluation/evidence/",
        f"/plans/{pk}/evaluation/reviews/",
        f"/plans/{pk}/evaluation/benefits/",
        f"/plans/{pk}/review/",
        f"/plans/{pk}/revisions/1/",
    ]
    found = {}
    for path in paths:
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        violations = serious_axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    page.goto(f"{live_server.url}/plans/{pk}/review/")
    assert page.get_by_text("Care time given back to residents").count() >= 1  # the benefits case before deciding
