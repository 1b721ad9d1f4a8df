"""Progress, RAG and the other evaluation rules on known series, both directions."""

import datetime as dt
from decimal import Decimal as D

import pytest

from evaluation import rules

GO_LIVE = dt.date(2027, 2, 1)
TARGET_DAY = dt.date(2027, 5, 3)  # 91 days after go-live


def higher(**kw):
    # Share of notes written within an hour: 70% now, 95% three months after go-live.
    return rules.Terms(D("70"), D("95"), True, dt.date(2027, 1, 4), TARGET_DAY, GO_LIVE, **kw)


def lower(**kw):
    # Files not up to date in real time: 30% now, 5% at three months.
    return rules.Terms(D("30"), D("5"), False, dt.date(2027, 1, 4), TARGET_DAY, GO_LIVE, **kw)


def series(terms, values, start=GO_LIVE, step=7):
    return [rules.Reading(start + dt.timedelta(days=step * i), D(str(v))) for i, v in enumerate(values)]


@pytest.mark.parametrize(
    ("terms", "value", "expected"),
    [
        (higher(), "70", "0"),
        (higher(), "82.5", "0.5"),
        (higher(), "95", "1"),
        (higher(), "60", "-0.4"),
        (lower(), "30", "0"),
        (lower(), "17.5", "0.5"),
        (lower(), "5", "1"),
        (lower(), "40", "-0.4"),
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target_in_either_direction(terms, value, expected):
    assert rules.progress(terms, D(value)) == D(expected)


def test_a_target_that_holds_the_baseline_is_met_or_not():
    hold = rules.Terms(D("0"), D("0"), False)
    assert rules.progress(hold, D("0")) == 1
    assert rules.progress(hold, D("2")) == 0


def test_nothing_is_expected_before_go_live_and_everything_by_the_target_date():
    terms = higher()
    assert rules.expected_progress(terms, GO_LIVE - dt.timedelta(days=10)) == 0
    assert rules.expected_progress(terms, GO_LIVE) == 0
    assert rules.expected_progress(terms, TARGET_DAY) == 1
    assert rules.expected_progress(terms, GO_LIVE + dt.timedelta(days=91 // 2 + 1)) == D(46) / D(91)


@pytest.mark.parametrize("make", [higher, lower])
def test_rag_on_a_series_with_the_go_live_dip_then_improvement(make):
    terms = make()
    base, target = terms.baseline, terms.target
    gap = target - base

    def at(share):  # a value `share` of the way from baseline to target
        return base + gap * D(str(share))

    week = lambda n: GO_LIVE + dt.timedelta(days=7 * n)  # noqa: E731
    # Go-live week: worse than the baseline (the dip) -> red.
    assert rules.rag(terms, at(-0.3), week(0)).key == "red"
    # Week 6 (46% of the way expected): 20% of the way is better than baseline but behind -> amber.
    assert rules.rag(terms, at(0.2), week(6)).key == "amber"
    # Week 6, 40% of the way: within the tolerance of the path -> green.
    assert rules.rag(terms, at(0.4), week(6)).label == "On track"
    # Target met at any time -> green "Target met".
    assert rules.rag(terms, target, week(2)).label == "Target met"
    # Past the target date and short of it -> amber.
    assert rules.rag(terms, at(0.8), TARGET_DAY + dt.timedelta(days=3)).key == "amber"


def test_rag_is_grey_without_measurements_or_terms():
    assert rules.rag(higher(), None, None).key == "grey"
    assert rules.rag(rules.Terms(None, D("5")), D("3"), GO_LIVE).key == "grey"
    assert rules.status(higher(), []).rag.key == "grey"


def test_status_counts_the_run_of_off_target_readings_newest_backwards():
    terms = lower()
    # Better before go-live, a two-week dip above baseline, then recovery.
    readings = series(terms, ["30", "33", "35", "20"], start=GO_LIVE - dt.timedelta(days=7))
    assert [rules.rag(terms, r.value, r.date).key for r in readings] == ["green", "red", "red", "green"]
    status = rules.status(terms, readings)
    assert status.off_target_run == 0 and not status.needs_adjustment
    status = rules.status(terms, readings[:3])
    assert status.off_target_run == 2 and status.needs_adjustment
    assert status.rag.key == "red" and status.previous_rag.key == "red"
    assert status.progress_percent == -20 and status.progress_bar == 0


def test_a_target_asks_less_when_lowered_for_its_direction():
    assert rules.lowered(higher(), rules.Terms(D("70"), D("90"), True))
    assert not rules.lowered(higher(), rules.Terms(D("70"), D("98"), True))
    assert rules.lowered(lower(), rules.Terms(D("30"), D("10"), False))
    assert not rules.lowered(lower(), rules.Terms(D("30"), D("2"), False))
    assert rules.lowered(lower(), rules.Terms(D("30"), None, False))


def test_values_outside_the_kpis_range_are_refused_with_the_limit():
    assert rules.in_range(D("101"), D("0"), D("100")) == "This KPI cannot go above 100."
    assert rules.in_range(D("-1"), D("0"), None) == "This KPI cannot go below 0."
    assert rules.in_range(D("50"), D("0"), D("100")) == ""


def test_the_benefits_case_sums():
    # 20 minutes a shift x 84 carer shifts a week = 28 care hours a week; at £16.50 an hour,
    # £24,024 a year; with £3,200 of paper avoided, £27,224 a year against a £14,000 plan.
    b = rules.benefits(
        cost=D("14000"),
        minutes_per_shift=D("20"),
        shifts_per_week=84,
        hour_value=D("16.50"),
        avoided_a_year=D("3200"),
        events_avoided_a_year=30,
        horizon_years=3,
    )
    assert b.hours_per_week == D("28.0")
    assert b.hours_a_year == D("1456.0")
    assert b.time_value_a_year == D("24024.00")
    assert b.benefit_a_year == D("27224.00")
    assert b.net_cost == D("-13224.00")
    assert b.payback_months == D("6.2")
    assert b.roi == D("4.83")


def test_a_case_with_no_benefit_never_pays_back():
    b = rules.benefits(
        cost=D("500"), minutes_per_shift=D("0"), shifts_per_week=10, hour_value=D("15"), avoided_a_year=D("0"),
        events_avoided_a_year=0, horizon_years=3,
    )  # fmt: skip
    assert b.payback_months is None and b.roi == D("-1.00")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Mrs Agnes Whitfield said the tablet was quicker", "it names Agnes Whitfield"),
        ("DOB 12/03/1941, likes tea", "date of birth"),
        ("born on 4 March 1938", "date of birth"),
        ("NHS 943 476 5919 was on the note", "NHS number"),
    ],
)
def test_text_that_may_identify_a_resident_is_flagged(text, reason):
    reasons = rules.identifying(text, ["Agnes Whitfield", "Bill Archer"])
    assert any(reason in r for r in reasons), reasons


def test_ordinary_text_and_numbers_that_fail_the_nhs_check_are_not_flagged():
    assert rules.identifying("Night staff said handover took 12 minutes less; 1234567890 notes.", ["Agnes Whitfield"]) == []
    assert rules.nhs_number_valid("9434765919")
    assert not rules.nhs_number_valid("9434765918")
