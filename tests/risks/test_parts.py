"""The register in the revision snapshot, the readiness checklist and the PDF appendix."""

import datetime as dt
import json
import re

import pytest
from django.template.loader import render_to_string

from oakview.core.models import Standard
from plans.parts import build_snapshot, get_part, readiness_problems
from risks.charts import heat_map_svg
from risks.models import Risk
from risks.selectors import heat_counts, heat_counts_from_rows

from .factories import RiskFactory, RiskReviewFactory


def risk_problems(plan):
    return [p for p in readiness_problems(plan) if p.part == "risks"]


def test_the_part_is_registered():
    part = get_part("risks")
    assert part is not None and part.order == 40


def test_snapshot_is_plain_json_with_everything_the_pdf_needs(personas, plan):
    risk = RiskFactory(
        plan=plan,
        title="System outage on go-live day",
        owner=personas.staff,
        inherent_likelihood=3,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=3,
        review_date=dt.date(2027, 1, 20),
    )
    risk.standards.add(*Standard.objects.current().filter(code__in=["Reg 17", "Reg 12"]))
    RiskReviewFactory(
        risk=risk, reviewed_on=dt.date(2026, 12, 20), reviewer=personas.manager, likelihood=2, impact=4, note="Tested"
    )
    snap = build_snapshot(plan)
    assert json.loads(json.dumps(snap)) == snap  # nothing but JSON types
    (row,) = snap["risks"]
    assert row["ref"] == "R1" and row["title"] == "System outage on go-live day"
    assert row["owner"] == "Priya Sharma" and row["phase"] == "Go-live week" and row["status"] == "Open"
    assert (row["inherent_likelihood"], row["inherent_impact"], row["inherent_score"], row["inherent_band"]) == (
        3,
        5,
        15,
        "extreme",
    )
    assert (row["residual_score"], row["residual_band"]) == (6, "moderate")
    assert row["review_date"] == "2027-01-20"
    assert row["standards"] == ["Reg 12", "Reg 17"]
    assert row["reviews"] == [
        {
            "date": "2026-12-20",
            "reviewer": "Sarah Okafor",
            "likelihood": 2,
            "impact": 4,
            "score": 8,
            "band": "high",
            "note": "Tested",
        }
    ]


def test_snapshot_query_count_does_not_grow(plan, django_assert_num_queries):
    for _ in range(20):
        RiskReviewFactory(risk=RiskFactory(plan=plan))
    # risks with owners, their standards, their reviews with reviewers
    with django_assert_num_queries(3):
        get_part("risks").snapshot(plan)


# --- Readiness -------------------------------------------------------------------------------


def test_an_empty_register_needs_go_live_risks(plan):
    (problem,) = risk_problems(plan)
    assert "at least 2 risks for the go-live week (it has 0)" in problem.message
    assert problem.url == f"/plans/{plan.pk}/risks/"


def test_a_complete_register_passes(plan):
    RiskFactory(plan=plan, inherent_likelihood=5, inherent_impact=5)
    RiskFactory(plan=plan, inherent_likelihood=1, inherent_impact=1, mitigation="", contingency="", trigger="")
    assert risk_problems(plan) == []


@pytest.mark.parametrize(
    "missing,words",
    [
        ({"contingency": ""}, "is high but has no contingency plan"),
        ({"mitigation": ""}, "is high but has no mitigation"),
        ({"trigger": "  "}, "is high but has no trigger for its contingency plan"),
        ({"mitigation": "", "contingency": ""}, "is high but has no mitigation and no contingency plan"),
    ],
)
def test_high_risk_without_its_plans_is_named(plan, missing, words):
    RiskFactory(plan=plan, phase=Risk.Phase.PLANNING)
    risk = RiskFactory(plan=plan, title="System outage on go-live day", inherent_likelihood=4, inherent_impact=3, **missing)
    RiskFactory(plan=plan)
    (problem,) = risk_problems(plan)
    assert problem.message == f"Risk R2 'System outage on go-live day' {words}."
    assert problem.url == f"/risks/{risk.pk}/edit/"


def test_judged_on_the_inherent_score_not_the_residual(plan):
    # Mitigated down to low, but it started extreme: the contingency is still needed.
    RiskFactory(plan=plan, inherent_likelihood=4, inherent_impact=4, residual_likelihood=1, residual_impact=1, contingency="")
    RiskFactory(plan=plan)
    (problem,) = risk_problems(plan)
    assert "is extreme but has no contingency plan" in problem.message


def test_moderate_risks_need_no_contingency(plan):
    RiskFactory(plan=plan, inherent_likelihood=2, inherent_impact=3, contingency="", trigger="")
    RiskFactory(plan=plan)
    assert risk_problems(plan) == []


def test_one_go_live_risk_is_not_enough(plan):
    RiskFactory(plan=plan)
    RiskFactory(plan=plan, phase=Risk.Phase.EMBEDDING)
    (problem,) = risk_problems(plan)
    assert "(it has 1)" in problem.message


# --- Heat map ----------------------------------------------------------------------------------


def _cell_counts(svg: str) -> dict:
    found = re.findall(r"Likelihood ([\w ]+?) by impact (\w+): score \d+, \w+, (\d+) risks?</title>", svg)
    return {(likelihood, impact): int(n) for likelihood, impact, n in found}


def test_heat_map_counts_each_cell(plan):
    for _ in range(3):
        RiskFactory(plan=plan, inherent_likelihood=4, inherent_impact=5, residual_likelihood=2, residual_impact=3)
    RiskFactory(plan=plan, inherent_likelihood=1, inherent_impact=1, residual_likelihood=1, residual_impact=1)
    counts = heat_counts(plan)
    assert counts.inherent == {(4, 5): 3, (1, 1): 1}
    assert counts.residual == {(2, 3): 3, (1, 1): 1}
    svg = heat_map_svg(counts.inherent, basis="inherent", id_prefix="t", href_for=lambda lk, im: f"/x?{lk}-{im}")
    assert _cell_counts(svg) == {("Likely", "Catastrophic"): 3, ("Rare", "Negligible"): 1}
    assert svg.count("<a ") == 2  # only occupied squares link
    assert "Before mitigation (inherent risk): 4 risks — 3 extreme, 0 high, 0 moderate, 1 low." in svg
    # The same counts from the snapshot, for the PDF.
    rows = get_part("risks").snapshot(plan)
    assert heat_counts_from_rows(rows) == counts


def test_heat_map_draws_25_coloured_squares_without_inline_styles(plan):
    svg = heat_map_svg({}, basis="residual", id_prefix="t")
    assert svg.count("<rect ") == 25
    assert svg.count('fill="#f5c2c7"') == 6  # extreme: 15 (x2), 16, 20 (x2), 25
    assert " style=" not in svg and "<script" not in svg
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "no risks recorded" in svg


# --- PDF appendix ---------------------------------------------------------------------------------


def test_appendix_renders_from_the_snapshot_with_user_text_escaped(plan, django_assert_num_queries):
    RiskFactory(
        plan=plan,
        title="<script>alert(1)</script> & outage",
        contingency="Use <b>paper</b> packs",
        trigger="App down > 15 min",
        inherent_likelihood=4,
        inherent_impact=4,
    )
    RiskFactory(plan=plan, title="Agency staff", contingency="", trigger="")
    snap = build_snapshot(plan)
    with django_assert_num_queries(0):
        (appendix,) = get_part("risks").appendices(snap)
        html = render_to_string(appendix.template, {**appendix.context, "label": "Appendix B", "title": appendix.title})
    assert (appendix.key, appendix.section, appendix.title) == ("risks", 4, "Risk register and contingency plans")
    assert "<h2>Appendix B: Risk register and contingency plans</h2>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; outage" in html
    assert "Use &lt;b&gt;paper&lt;/b&gt; packs" in html and "App down &gt; 15 min" in html
    assert html.count("<svg") == 1 and html.count("<rect ") == 50 and "<html" not in html
    assert "16 Extreme" in html and "4 × 4" in html


def test_no_appendix_without_risks():
    assert get_part("risks").appendices({"schema": 1, "plan": {}}) == []
    assert get_part("risks").appendices({"schema": 1, "risks": []}) == []
