"""The part as plans sees it: snapshot, readiness, the close check and the recorded decision,
drift, the appendix and the blocks, its diff lines, series read from another part."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import snapshot as snap_module
from evaluation.models import KPI, Review
from plans.models import Plan
from plans.parts import build_snapshot, get_part, readiness_problems
from plans.pdf.render import build_html, render_snapshot
from plans.services import workflow
from tests.factories import PlanFactory
from tests.plans.workflow_helpers import approve, ready_plan, refresh, submit
from tests.stakeholders.factories import StakeholderFactory

from .conftest import set_status
from .factories import KPIFactory, MeasurementFactory, ReviewFactory, record_decision

SNAPSHOT_FIXTURE = "tests/evaluation/snapshots/v1.json"


def part():
    return get_part("evaluation")


def problems(plan):
    return [p for p in readiness_problems(plan) if p.part == "evaluation"]


def test_the_part_describes_itself():
    p = part()
    assert (p.key, p.section, p.title) == ("evaluation", 5, "Evaluation")
    assert {k.key for k in p.row_kinds} == {"kpis", "evidence", "reviews", "benefit_lines"}
    assert "css/evaluation.css" in p.stylesheets


def test_snapshot_is_plain_json_with_its_own_version(db, plan, framework):
    snap = json.loads(json.dumps(build_snapshot(plan)))  # survives a JSON round trip unchanged
    ours = snap["evaluation"]
    assert ours["version"] == snap_module.VERSION == 1
    notes = next(k for k in ours["kpis"] if k["name"] == "Care notes recorded within an hour")
    assert notes["direction"] == "Higher is better" and notes["baseline"] == "70" and notes["owner"] == "Priya Sharma"
    assert [m["value"] for m in ours["measurements"] if m["kpi_id"] == notes["id"]] == ["70", "62", "74", "80", "84"]
    assert ours["benefits"]["minutes_saved_per_shift"] == "20" and ours["benefits"]["hour_value"] == "16.50"


# --- Readiness --------------------------------------------------------------------------------


def test_no_kpis_is_one_blocking_problem(db, plan):
    (problem,) = problems(plan)
    assert problem.blocking and "add KPIs" in problem.message and problem.url.endswith("#kpis")


def test_readiness_asks_for_both_kinds_both_dimensions_and_complete_kpis(db, plan, personas):
    KPIFactory(plan=plan, name="Notes within an hour", baseline=None, owner=None, data_source="")
    messages = [p.message for p in problems(plan) if p.blocking]
    assert any("Add a qualitative KPI" in m for m in messages)
    assert any("No KPI measures cultural adaptation" in m for m in messages)
    assert any("“Notes within an hour” needs a baseline, a data source and an owner" in m for m in messages)
    assert not any("quantitative KPI" in m for m in messages)
    advice = [p for p in problems(plan) if not p.blocking]
    assert advice and "benefits case" in advice[0].message


def test_a_complete_framework_passes(db, plan, framework):
    assert problems(plan) == []


# --- Closing ---------------------------------------------------------------------------------


def _evaluating(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    workflow.plan_evaluate(plan_id=plan.pk, by=personas.manager)
    return refresh(plan)


def test_the_plan_cannot_close_without_the_three_month_decision(personas):
    plan = _evaluating(personas)
    ReviewFactory(plan=plan, kind=Review.Kind.MONTHLY)  # a monthly review is not the decision
    with pytest.raises(workflow.NotReady, match="three-month evaluation's decision"):
        workflow.plan_close(plan_id=plan.pk, by=personas.manager, outcome=Plan.Outcome.EMBED)
    assert refresh(plan).status == Plan.Status.EVALUATING


def test_the_plan_closes_with_the_decision_recorded_and_no_other(personas):
    plan = _evaluating(personas)
    record_decision(plan, Review.Decision.EXTEND, by=personas.manager)
    assert part().recorded_outcome(plan) == "extend"
    with pytest.raises(workflow.TransitionError, match="recorded for this plan is “Extend”"):
        workflow.plan_close(plan_id=plan.pk, by=personas.manager, outcome=Plan.Outcome.EMBED)
    workflow.plan_close(plan_id=plan.pk, by=personas.manager, outcome=Plan.Outcome.EXTEND)
    assert (refresh(plan).status, plan.outcome) == (Plan.Status.CLOSED, Plan.Outcome.EXTEND)


# --- Drift -----------------------------------------------------------------------------------


def test_a_lowered_target_a_later_target_date_and_a_removed_kpi_are_material(db, plan, framework):
    approved = build_snapshot(plan)
    notes, confidence = framework["notes"], framework["confidence"]
    KPI.objects.filter(pk=notes.pk).update(target=Decimal("85"), target_date=notes.target_date + dt.timedelta(days=30))
    confidence.delete()
    KPIFactory(plan=plan, name="Family satisfaction", baseline=Decimal("3"), target=Decimal("4"), highest=Decimal("5"))
    found = part().drift(approved, build_snapshot(plan))
    material = [d.message for d in found if d.material]
    assert "KPI “Care notes recorded within an hour”: target lowered from 95 to 85 % since approval" in material
    assert "KPI “Care notes recorded within an hour”: target date moved later than approved" in material
    assert "KPI “Staff confident using the system” was in the approved evaluation and has been removed." in material
    assert [d.message for d in found if not d.material] == ["New since approval: KPI “Family satisfaction”."]


def test_a_raised_target_or_new_measurements_are_not_drift(db, plan, framework):
    approved = build_snapshot(plan)
    KPI.objects.filter(pk=framework["notes"].pk).update(target=Decimal("98"))
    MeasurementFactory(kpi=framework["notes"], date=timezone.localdate(), value=Decimal("90"))
    assert part().drift(approved, build_snapshot(plan)) == []


def test_for_lower_is_better_a_higher_target_is_the_lowered_one(db, plan):
    kpi = KPIFactory(plan=plan, name="Files not current", direction="lower", baseline=Decimal("30"), target=Decimal("5"))
    approved = build_snapshot(plan)
    KPI.objects.filter(pk=kpi.pk).update(target=Decimal("10"))
    (drift,) = part().drift(approved, build_snapshot(plan))
    assert "target lowered from 5 to 10" in drift.message


# --- Documents from the snapshot ----------------------------------------------------------------


@pytest.fixture
def stored():
    with open(SNAPSHOT_FIXTURE, encoding="utf-8") as f:
        return json.load(f)


def test_the_stored_version_1_snapshot_still_makes_its_appendix(db, stored, django_assert_num_queries):
    with django_assert_num_queries(0):  # from the snapshot alone
        (appendix,) = part().appendices(stored)
        html = render_to_string(appendix.template, {**appendix.context, "label": "Appendix E", "title": appendix.title})
    assert appendix.section == 5 and appendix.title == "Evaluation framework and results"
    assert "<h2>Appendix E: Evaluation framework and results</h2>" in html
    names = [k["name"] for k in stored["evaluation"]["kpis"]]
    assert len(names) >= 6 and all(name in html for name in names)
    assert html.count('class="chart run-chart"') >= 3 and "Benefits against cost" in html
    assert "Go-live" in html and "Social return" in html


def test_revision_block_and_approver_summary_come_from_the_snapshot(db, stored, django_assert_num_queries):
    with django_assert_num_queries(0):
        (block,) = part().revision_blocks(stored)
        html = render_to_string(block.template, {"block": block.context})
        (summary,) = part().approver_summary(stored)
        brief = render_to_string(summary.template, {"block": summary.context})
    assert block.section == 5
    assert "Key performance indicators" in html and "Care notes recorded within an hour" in html
    assert "care time given back" in brief.lower() and "Payback" in brief and "months" in brief


def test_a_snapshot_from_before_this_part_shows_nothing_of_it():
    with open("tests/plans/snapshots/schema1.json", encoding="utf-8") as f:
        old = json.load(f)
    assert "evaluation" not in old
    assert part().appendices(old) == [] and part().revision_blocks(old) == [] and part().approver_summary(old) == []
    assert part().drift(old, old) == []


def test_the_diff_names_kpis_and_sums_up_new_measurements(db, plan, framework):
    old = build_snapshot(plan)["evaluation"]
    KPI.objects.filter(pk=framework["notes"].pk).update(target=Decimal("92"))
    MeasurementFactory(kpi=framework["notes"], date=timezone.localdate(), value=Decimal("86"))
    MeasurementFactory(kpi=framework["confidence"], date=timezone.localdate(), value=Decimal("55"))
    changes = part().diff(old, build_snapshot(plan)["evaluation"])
    by_label = {c.label: c for c in changes}
    kpi_change = by_label["KPI: Care notes recorded within an hour"]
    assert kpi_change.kind == "changed" and ("Target", "95", "92") in kpi_change.details
    readings = by_label["Measurements: Care notes recorded within an hour"]
    assert readings.details[0][0] == "Readings added" and readings.details[0][2].startswith("1, latest 86")
    assert "Measurements: Staff confident using the system" in by_label


def test_a_kpi_reads_the_stakeholder_parts_series(db, plan, personas):
    set_status(plan, Plan.Status.IN_PROGRESS)
    StakeholderFactory(plan=plan, name="Care staff", headcount=10, stance="supportive")
    kpi = KPIFactory(plan=plan, name="Staff supportive", series_ref="stakeholders.supportive_share", baseline=Decimal("30"))
    ours = build_snapshot(plan)["evaluation"]
    points = [m for m in ours["measurements"] if m["kpi_id"] == kpi.pk]
    assert points and all(m["value"] == "100" for m in points)
    assert next(k for k in ours["kpis"] if k["id"] == kpi.pk)["series"].startswith("Staff supportive")


META = {
    "number": 2,
    "status": "Approved",
    "submitted_by": "Sarah Okafor",
    "submitted_at": None,
    "decisions": [],
    "approver": "",
    "approved_at": None,
}


def test_question_5_refers_to_the_appendix_and_the_pdf_carries_the_framework_with_charts(db, stored):
    meta = {**META, "submitted_at": timezone.now()}
    html = build_html(stored, meta)
    evaluation = html[html.index('id="section-evaluation"') :]
    assert "Evaluation framework and results" in evaluation
    assert 'aria-labelledby="pdf-eval-kpi1-title pdf-eval-kpi1-desc"' in html and "Benefits against cost" in html
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_snapshot(stored, meta))).pages]
    start = next(i for i, text in enumerate(pages) if "Evaluation framework and results" in text.split("\n")[0])
    appendix = " ".join(" ".join(pages[start:]).split())
    for text in ("Care notes recorded within an hour", "Staff confident using the system", "Social return", "Payback"):
        assert text in appendix, text


def test_an_adjustment_is_linked_to_the_kpi_that_triggered_it(personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    adjustment = workflow.adjustment_record(
        plan_id=plan.pk,
        by=personas.manager,
        date=timezone.localdate(),
        what_changed="Extra drop-ins",
        reason="Dip",
        impact="None",
    )
    client = personas.client(personas.manager)
    url = reverse("evaluation:adjustment-link", args=[adjustment.pk])
    response = client.post(url, {"kpi": framework["notes"].pk, "effect": "Back on the path within a fortnight."})
    assert response.status_code == 302
    page = client.get(reverse("evaluation:reviews", args=[plan.pk])).content.decode()
    assert "Triggered by KPI “Care notes recorded within an hour”" in page and "Back on the path" in page
    other = KPIFactory(plan=PlanFactory(home=personas.other_home, author=personas.stranger))
    response = client.post(url, {"kpi": other.pk})
    assert response.status_code == 400  # not one of this plan's KPIs
    assert personas.client(personas.approver).post(url, {"effect": "x"}).status_code == 403
