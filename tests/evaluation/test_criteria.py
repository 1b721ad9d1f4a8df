"""The evaluation's evidence towards the case-study criteria, from its snapshot: a
qualitative and a quantitative measure, evidence judged by three months after go-live,
technical success and cultural adaptation, each on a plan that meets it and one that misses
it. (Pure: snapshots written out here, as the part freezes them.)"""

from __future__ import annotations

import pytest

from evaluation.criteria import criteria_evidence
from evaluation.parts import EvaluationPart
from plans import parts
from plans.assessment.check import check_snapshot
from plans.parts import MET, MISSING, PARTLY


def kpi(name, kind="Quantitative", dimension="Technical success", target_date="2027-04-30", **extra):
    return {
        "name": name,
        "kind": kind,
        "dimension": dimension,
        "baseline": "70",
        "target": "95",
        "target_date": target_date,
        **extra,
    }


def snap(*kpis, reviews=()):
    return {
        "schema": 1,
        "plan": {"go_live_date": "2027-02-01", "home": {"regulator": "Care Quality Commission (England)"}},
        "evaluation": {"version": 1, "kpis": list(kpis), "reviews": list(reviews)},
    }


def by_key(s):
    return {e.criterion: e for e in criteria_evidence(s)}


def test_no_kpis_no_evidence():
    assert criteria_evidence(snap()) == []
    assert criteria_evidence({"schema": 1, "plan": {}}) == []  # frozen before the part existed


def test_a_qualitative_and_a_quantitative_measure():
    found = by_key(snap(kpi("Care notes on time")))["q5.measures"]
    assert found.status == PARTLY and "qualitative" in found.to_complete
    found = by_key(snap(kpi("Care notes on time"), kpi("Staff confidence", kind="Qualitative")))["q5.measures"]
    assert found.status == MET and found.appendix == "evaluation"
    assert [i.label for i in found.items] == ["KPI Care notes on time: quantitative", "KPI Staff confidence: qualitative"]


def test_technical_success_and_cultural_adaptation():
    found = by_key(snap(kpi("Uptime")))["outcome.evaluation"]
    assert found.status == PARTLY and "cultural adaptation" in found.to_complete
    both = snap(kpi("Uptime"), kpi("Staff confidence", kind="Qualitative", dimension="Cultural adaptation"))
    assert by_key(both)["outcome.evaluation"].status == MET


def test_evidence_judged_by_three_months_after_go_live():
    late = by_key(snap(kpi("Uptime", target_date="2028-01-01")))["q5.three_months"]
    assert late.status == PARTLY and "within three months of go-live" in late.to_complete
    assert by_key(snap(kpi("Uptime", target_date="2027-04-30")))["q5.three_months"].status == MET
    final = [{"kind": "Three-month evaluation", "kind_key": "final", "held_on": "2027-05-01"}]
    assert by_key(snap(kpi("Uptime", target_date="2028-01-01"), reviews=final))["q5.three_months"].status == MET


@pytest.fixture
def evaluation_part():
    was = parts.get_part("evaluation")
    parts.register_part(EvaluationPart())
    yield
    if was is None:
        parts.unregister_part("evaluation")
    else:
        parts.register_part(was)


def test_the_criteria_check_reads_the_part(db, evaluation_part):
    check = check_snapshot(snap(kpi("Uptime"), kpi("Staff confidence", kind="Qualitative", dimension="Cultural adaptation")))
    assert check.result("q5.measures").status == MET
    assert check.result("outcome.evaluation").status == MET
    assert check_snapshot(snap()).result("q5.measures").status == MISSING
