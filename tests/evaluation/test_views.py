"""The evaluation pages, per persona: who sees what, who changes what, and bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import KPI, Evidence, Measurement, ResidentName, Review
from evaluation.panels import reminder_lines
from plans.models import Plan

from .conftest import set_status
from .factories import KPIFactory, ReviewFactory

pytestmark = pytest.mark.django_db

PAGES = ("dashboard", "evidence", "reviews", "benefits")


def _url(name, pk):
    return reverse(f"evaluation:{name}", args=[pk])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_framework_to_manager_and_approver(personas, plan, framework, page):
    for user in (personas.manager, personas.approver):
        response = personas.client(user).get(_url(page, plan.pk))
        assert response.status_code == 200, (page, user)
    kpi_page = personas.client(personas.manager).get(_url("kpi", framework["notes"].pk))
    assert kpi_page.status_code == 200
    assert b"run chart" in kpi_page.content and b'role="img"' in kpi_page.content


@pytest.mark.parametrize("page", PAGES)
def test_staff_and_viewers_wait_for_approval_and_strangers_never_see_it(personas, plan, framework, page):
    for user in (personas.staff, personas.viewer):
        assert personas.client(user).get(_url(page, plan.pk)).status_code == 403
    assert personas.client(personas.stranger).get(_url(page, plan.pk)).status_code == 404
    assert personas.client(personas.stranger).get(_url("kpi", framework["notes"].pk)).status_code == 404
    set_status(plan, Plan.Status.IN_PROGRESS)
    for user in (personas.staff, personas.viewer):
        assert personas.client(user).get(_url(page, plan.pk)).status_code == 200


def test_only_the_manager_changes_the_kpis(personas, plan, framework):
    kpi = framework["notes"]
    for user in (personas.approver, personas.staff, personas.viewer):
        assert personas.client(user).post(_url("kpi-edit", kpi.pk), {"name": "x"}).status_code in (403, 404)
        assert personas.client(user).post(_url("kpi-create", plan.pk), {"name": "x"}).status_code == 403
    assert personas.client(personas.stranger).post(_url("kpi-delete", kpi.pk)).status_code == 404
    assert KPI.objects.filter(pk=kpi.pk, name=kpi.name).exists()


def test_the_manager_adds_a_kpi_from_the_library(personas, plan):
    client = personas.client(personas.manager)
    page = client.get(_url("kpi-create", plan.pk) + "?entry=dspt_training")
    assert page.status_code == 200 and "Data-security training (DSPT)" in page.content.decode()
    data = {
        "version": "1",
        "name": "Data-security training (DSPT)",
        "kind": "quantitative",
        "dimension": "technical",
        "unit": "%",
        "direction": "higher",
        "lowest": "0",
        "highest": "100",
        "baseline": "60",
        "baseline_date": plan.start_date.isoformat(),
        "target": "95",
        "target_date": plan.end_date.isoformat(),
        "data_source": "Training matrix",
        "frequency": "monthly",
        "owner": personas.staff.pk,
    }
    response = client.post(_url("kpi-create", plan.pk), data)
    assert response.status_code == 302
    kpi = KPI.objects.get(plan=plan)
    assert (kpi.target, kpi.owner) == (Decimal("95"), personas.staff)


def test_a_target_out_of_range_or_worse_than_the_baseline_is_refused_by_the_field(personas, plan):
    client = personas.client(personas.manager)
    data = {"version": "1", "name": "Notes", "kind": "quantitative", "dimension": "technical", "unit": "%", "direction": "higher",
            "lowest": "0", "highest": "100", "baseline": "70", "target": "140", "frequency": "weekly"}  # fmt: skip
    response = client.post(_url("kpi-create", plan.pk), data)
    assert response.status_code == 400
    assert "cannot go above 100" in response.content.decode()
    data["target"] = "50"
    response = client.post(_url("kpi-create", plan.pk), data)
    assert "worse than the baseline" in response.content.decode()
    assert not KPI.objects.filter(plan=plan).exists()


def test_the_owner_records_a_measurement_and_the_status_changes(personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    kpi = framework["notes"]
    client = personas.client(personas.staff)
    today = timezone.localdate()
    response = client.post(_url("measurement-create", kpi.pk), {"date": today.isoformat(), "value": "96", "note": "Audit log"})
    assert response.status_code == 302
    assert Measurement.objects.get(kpi=kpi, date=today).recorded_by == personas.staff
    page = client.get(_url("kpi", kpi.pk)).content.decode()
    assert "Target met" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("lots", "Enter a number"), ("101", "cannot go above 100"), ("-3", "cannot go below 0"), ("", "required")],
)
def test_bad_measurements_get_a_message_by_the_field_and_nothing_is_saved(personas, plan, framework, value, message):
    kpi = framework["notes"]
    before = Measurement.objects.count()
    response = personas.client(personas.manager).post(
        _url("measurement-create", kpi.pk), {"date": timezone.localdate().isoformat(), "value": value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Measurement.objects.count() == before


def test_a_future_date_or_a_second_reading_on_a_day_is_refused(personas, plan, framework):
    kpi = framework["notes"]
    client = personas.client(personas.manager)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(_url("measurement-create", kpi.pk), {"date": tomorrow.isoformat(), "value": "80"})
    assert "cannot be in the future" in response.content.decode()
    taken = Measurement.objects.filter(kpi=kpi).first().date
    response = client.post(_url("measurement-create", kpi.pk), {"date": taken.isoformat(), "value": "80"})
    assert response.status_code == 400 and "already a measurement" in response.content.decode()


def test_who_may_record_measurements(personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    notes, confidence = framework["notes"], framework["confidence"]
    data = {"date": timezone.localdate().isoformat(), "value": "50"}
    # Not the staff member's KPI; approvers and viewers never; a stranger cannot find it.
    assert personas.client(personas.staff).post(_url("measurement-create", confidence.pk), data).status_code == 403
    assert personas.client(personas.approver).post(_url("measurement-create", notes.pk), data).status_code == 403
    assert personas.client(personas.viewer).post(_url("measurement-create", notes.pk), data).status_code == 403
    assert personas.client(personas.stranger).post(_url("measurement-create", notes.pk), data).status_code == 404
    set_status(plan, Plan.Status.CLOSED)
    assert personas.client(personas.manager).post(_url("measurement-create", notes.pk), data).status_code == 403


def test_the_owner_records_from_my_actions(personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    client = personas.client(personas.staff)
    page = client.get(reverse("plans:my-actions")).content.decode()
    assert "KPIs you measure" in page and "Care notes recorded within an hour" in page
    response = client.post(
        _url("measurement-create", framework["notes"].pk),
        {"date": timezone.localdate().isoformat(), "value": "88", "next": reverse("plans:my-actions")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:my-actions")


def test_evidence_that_may_identify_a_resident_is_held_back_until_confirmed(personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    ResidentName.objects.create(home=personas.home, name="Agnes Whitfield")
    client = personas.client(personas.manager)
    data = {"version": "1", "date": timezone.localdate().isoformat(), "source": "family", "method": "interview",
            "summary": "Agnes Whitfield's daughter says the updates are clearer.", "sentiment": "positive"}  # fmt: skip
    response = client.post(_url("evidence", plan.pk), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "may identify a resident" in page and "Agnes Whitfield" in page
    assert not Evidence.objects.filter(summary__contains="daughter").exists()
    response = client.post(_url("evidence", plan.pk), {**data, "confirm_anonymous": "on"})
    assert response.status_code == 302
    assert Evidence.objects.filter(summary__contains="daughter").exists()


def test_a_review_records_a_finding_for_every_kpi_and_the_decision_needs_reasons(personas, plan, framework):
    set_status(plan, Plan.Status.EVALUATING)
    client = personas.client(personas.manager)
    data = {"kind": "final", "held_on": timezone.localdate().isoformat(), "summary": "Three months on.",
            f"finding-{framework['notes'].pk}": "Better than the target path."}  # fmt: skip
    response = client.post(_url("reviews", plan.pk), data)
    assert response.status_code == 302
    review = Review.objects.get(plan=plan)
    assert {f.kpi_id: f.status for f in review.findings.all()} == {
        framework["notes"].pk: "green",
        framework["confidence"].pk: "grey",
    }
    response = client.post(_url("review-decide", review.pk), {"decision": "embed", "reasons": ""})
    assert response.status_code == 400 and "required" in response.content.decode()
    response = client.post(
        _url("review-decide", review.pk), {"decision": "embed", "reasons": "Notes are timely; staff confident."}
    )
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).decision == "embed"
    assert (
        personas.client(personas.approver)
        .post(_url("review-decide", review.pk), {"decision": "revert", "reasons": "x"})
        .status_code
        == 403
    )


def test_a_decision_is_only_made_at_the_three_month_evaluation(personas, plan, framework):
    review = ReviewFactory(plan=plan, kind=Review.Kind.MONTHLY)
    response = personas.client(personas.manager).post(_url("review-decide", review.pk), {"decision": "embed", "reasons": "Fine."})
    assert response.status_code == 400
    assert Review.objects.get(pk=review.pk).decision == ""


def test_two_off_target_readings_in_a_row_prompt_an_adjustment(personas, plan):
    set_status(plan, Plan.Status.IN_PROGRESS)
    kpi = KPIFactory(plan=plan, name="Files not up to date", direction="lower", baseline=Decimal("30"), target=Decimal("5"))
    today = timezone.localdate()
    Measurement.objects.create(kpi=kpi, date=today - dt.timedelta(days=7), value=Decimal("34"))
    Measurement.objects.create(kpi=kpi, date=today, value=Decimal("33"))
    page = personas.client(personas.manager).get(_url("dashboard", plan.pk)).content.decode()
    assert "Off target two measurements in a row" in page and "record an adjustment" in page


def test_the_benefits_case_shows_payback_and_the_social_return(personas, plan, framework):
    page = personas.client(personas.approver).get(_url("benefits", plan.pk)).content.decode()
    assert "28 hours a week" in page  # 20 minutes x 84 shifts
    assert "Payback" in page and "An hour more a day with residents." in page
    assert "Benefits against cost" in page


def test_exports_are_csv_with_safe_cells(personas, plan, framework):
    Measurement.objects.filter(kpi=framework["notes"]).update(note="=HYPERLINK(1)")
    response = personas.client(personas.manager).get(_url("measurements-csv", plan.pk))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "kpi,unit,date,value,note,recorded_by"
    assert "'=HYPERLINK(1)" in body


def test_the_owner_is_reminded_of_a_weekly_kpi_gone_unmeasured(personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    today = timezone.localdate()
    lines = reminder_lines(today)  # last reading a week ago: not yet late
    assert personas.staff.pk not in lines
    lines = reminder_lines(today + dt.timedelta(days=2))
    (line,) = lines[personas.staff.pk]
    assert line.startswith("No measurement of “Care notes recorded within an hour” since")
    assert reverse("evaluation:kpi", args=[framework["notes"].pk]) in line


def test_the_managers_dashboard_lists_kpis_asking_for_an_adjustment(personas, plan):
    set_status(plan, Plan.Status.IN_PROGRESS)
    kpi = KPIFactory(plan=plan, name="Files not up to date", direction="lower", baseline=Decimal("30"), target=Decimal("5"))
    today = timezone.localdate()
    Measurement.objects.create(kpi=kpi, date=today - dt.timedelta(days=7), value=Decimal("34"))
    Measurement.objects.create(kpi=kpi, date=today, value=Decimal("33"))
    page = personas.client(personas.manager).get(reverse("core:dashboard")).content.decode()
    assert "KPIs asking for an adjustment" in page and "Files not up to date" in page
    assert "KPIs asking for an adjustment" not in personas.client(personas.staff).get(reverse("core:dashboard")).content.decode()
