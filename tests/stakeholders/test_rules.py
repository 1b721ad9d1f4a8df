"""The part's rules as plain functions: quadrants, ADKAR barriers, the weekly supportive
share on known histories, champion cover by shift, and when a message is next due."""

import datetime as dt
from decimal import Decimal

import pytest

from stakeholders import rules, vocab
from stakeholders.rules import GroupHistory, coverage, next_due_after, weekly_shares

# --- Quadrants --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "power,interest,quadrant",
    [
        (1, 1, "monitor"),
        (2, 2, "monitor"),  # both low
        (2, 3, "keep_informed"),
        (1, 5, "keep_informed"),  # interest crosses at 3
        (3, 2, "keep_satisfied"),
        (5, 1, "keep_satisfied"),  # power crosses at 3
        (3, 3, "manage_closely"),
        (5, 5, "manage_closely"),
        (3, 5, "manage_closely"),
    ],
)
def test_quadrant_boundaries(power, interest, quadrant):
    assert vocab.quadrant_of(power, interest).key == quadrant


def test_every_quadrant_suggests_a_strategy():
    assert {q.key for q in vocab.QUADRANTS} == {"manage_closely", "keep_satisfied", "keep_informed", "monitor"}
    assert all(q.strategy.endswith(".") and len(q.strategy) > 40 for q in vocab.QUADRANTS)


def test_stance_is_found_by_key_or_by_the_name_a_snapshot_keeps():
    assert vocab.stance("sceptical") is vocab.stance("Sceptical") is vocab.STANCE_BY_KEY["sceptical"]
    assert vocab.stance("Doubtful") is vocab.UNKNOWN_STANCE  # a renamed stance still draws
    assert len({s.shape for s in vocab.STANCES}) == len(vocab.STANCES)  # never colour alone


# --- ADKAR ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scores,barrier",
    [
        ((4, 2, 1, 1, 1), "desire"),  # the first at 3 or below, not the lowest
        ((3, 5, 5, 5, 5), "awareness"),  # 3 is a barrier
        ((5, 5, 5, 4, 3), "reinforcement"),
        ((4, 4, 4, 4, 4), None),
    ],
)
def test_adkar_barrier_is_the_first_element_at_3_or_below(scores, barrier):
    found = vocab.adkar_barrier(dict(zip(vocab.ADKAR_KEYS, scores, strict=True)))
    assert (found.key if found else None) == barrier
    if found:
        assert found.action_kind and found.activity_kinds


# --- Weekly supportive share --------------------------------------------------------------------

MON = dt.date(2026, 11, 2)  # a Monday


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def test_one_group_that_never_moves_gives_a_flat_line():
    weeks = weekly_shares([GroupHistory(10, ((day(0), "resistant"),))], start=day(0), until=day(20))
    assert [(w.week, w.supportive, w.resistant, w.staff) for w in weeks] == [
        (day(0), 0.0, 100.0, 10),
        (day(7), 0.0, 100.0, 10),
        (day(14), 0.0, 100.0, 10),
    ]


def test_weighted_by_headcount_with_the_stance_at_the_end_of_each_week():
    groups = [
        GroupHistory(30, ((day(0), "champion"),)),
        # Sceptical on Tuesday of week 2, supportive on Sunday of week 2: week 2 counts supportive.
        GroupHistory(60, ((day(0), "resistant"), (day(8), "sceptical"), (day(13), "supportive"))),
        GroupHistory(10, ((day(0), "neutral"),)),
    ]
    weeks = weekly_shares(groups, start=day(2), until=day(16))
    assert [(w.week, w.supportive, w.resistant) for w in weeks] == [
        (day(0), 30.0, 60.0),
        (day(7), 90.0, 0.0),
        (day(14), 90.0, 0.0),
    ]


def test_a_group_counts_from_the_week_it_is_mapped_and_a_week_with_nobody_has_no_point():
    groups = [GroupHistory(3, ((day(9), "supportive"),)), GroupHistory(1, ((day(16), "resistant"),))]
    weeks = weekly_shares(groups, start=day(0), until=day(20))
    assert [(w.week, w.supportive, w.staff) for w in weeks] == [(day(7), 100.0, 3), (day(14), 75.0, 4)]


def test_the_last_week_stops_at_today_and_later_records_do_not_count():
    groups = [GroupHistory(4, ((day(0), "resistant"), (day(10), "supportive")))]
    weeks = weekly_shares(groups, start=day(0), until=day(8))  # Tuesday of week 2
    assert [w.supportive for w in weeks] == [0.0, 0.0]


def test_without_a_start_the_line_begins_with_the_first_record_and_without_staff_is_empty():
    weeks = weekly_shares([GroupHistory(2, ((day(10), "supportive"),))], start=None, until=day(15))
    assert [w.week for w in weeks] == [day(7), day(14)]
    assert weekly_shares([], start=day(0), until=day(30)) == []
    assert weekly_shares([GroupHistory(5, ())], start=day(0), until=day(30)) == []


def test_shares_are_rounded_to_one_decimal():
    groups = [GroupHistory(1, ((day(0), "supportive"),)), GroupHistory(2, ((day(0), "neutral"),))]
    assert weekly_shares(groups, start=day(0), until=day(0))[0].supportive == 33.3


# --- Champion cover by shift ---------------------------------------------------------------------


def group(name, shift, stance, headcount=5):
    return {"name": name, "shift": shift, "stance": stance, "headcount": headcount}


def champion(name, shift, people=3, cap=8):
    return {"name": name, "shift": shift, "people": people, "cap": cap}


def test_every_shift_with_resistant_staff_needs_a_champion_on_it():
    result = coverage(
        groups=[
            group("Night staff", "nights", "resistant"),
            group("Day carers", "days", "sceptical", 4),
            group("Weekend bank", "weekends", "supportive"),
        ],
        champions=[champion("Priya", "days")],
    )
    assert [(s.shift, s.covered) for s in result.shifts] == [("days", True), ("nights", False), ("weekends", True)]
    assert [g.shift for g in result.gaps] == ["nights"]
    assert not result.ok
    assert result.messages() == ["No champion works nights, where Night staff (5 people) is resistant or sceptical."]


def test_sceptical_counts_as_resistant_and_several_groups_are_named():
    result = coverage(
        groups=[group("Agency", "nights", "sceptical", 1), group("Night staff", "nights", "resistant")], champions=[]
    )
    (gap,) = result.gaps
    assert gap.resistant_headcount == 6
    assert result.messages() == ["No champion works nights, where Agency and Night staff (6 people) are resistant or sceptical."]


def test_a_champion_over_their_cap_is_reported():
    result = coverage(
        groups=[group("Night staff", "nights", "resistant")],
        champions=[champion("Margaret", "nights", people=9, cap=8), champion("Priya", "days", people=8)],
    )
    assert [load.name for load in result.over_cap] == ["Margaret"]  # at the cap is fine
    assert result.gaps == ()
    assert result.messages() == ["Margaret supports 9 people, more than their cap of 8: pair some of them with another champion."]


def test_cover_reads_the_names_a_snapshot_keeps():
    result = coverage(groups=[group("Night staff", "Nights", "Resistant")], champions=[champion("Margaret", "Nights")])
    assert result.ok and result.relevant[0].champions == ("Margaret",)


def test_no_resistant_staff_and_no_champions_is_covered():
    assert coverage(groups=[group("Carers", "days", "supportive")], champions=[]).ok


# --- Communication plan --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency,sent,due",
    [
        ("daily", dt.date(2026, 12, 1), dt.date(2026, 12, 2)),
        ("weekly", dt.date(2026, 12, 1), dt.date(2026, 12, 8)),
        ("fortnightly", dt.date(2026, 12, 1), dt.date(2026, 12, 15)),
        ("monthly", dt.date(2027, 1, 31), dt.date(2027, 2, 28)),
        ("monthly", dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
        ("once", dt.date(2026, 12, 1), None),
        ("milestone", dt.date(2026, 12, 1), None),
    ],
)
def test_next_due_follows_the_frequency(frequency, sent, due):
    assert next_due_after(frequency, sent) == due


def test_a_concern_is_overdue_after_fourteen_days_without_an_answer():
    today = dt.date(2026, 12, 15)
    assert rules.concern_overdue(status="open", raised_on=dt.date(2026, 11, 30), today=today)
    assert not rules.concern_overdue(status="open", raised_on=dt.date(2026, 12, 1), today=today)  # 14 days: not yet
    assert not rules.concern_overdue(status="answered", raised_on=dt.date(2026, 11, 1), today=today)


# --- Protected time ----------------------------------------------------------------------------

START, END = dt.date(2026, 12, 1), dt.date(2027, 3, 2)  # thirteen weeks, as the template's plan
TIME = {7: {"description": "Digital champions' protected time", "quantity": Decimal("48"), "unit": "hours"}}


def paid(name, hours, start=None, resource_id=7):
    return {"name": name, "hours_per_week": Decimal(hours), "from": start, "resource_id": resource_id}


@pytest.mark.parametrize(
    "champions,planned,over",
    [
        # Two champions at 2 hours a week for the whole thirteen weeks: 52 of 48 hours.
        ([paid("Priya", "2"), paid("Margaret", "2")], Decimal("52"), True),
        # From the second week, once briefed: twelve weeks, exactly the 48 hours.
        ([paid("Priya", "2", START + dt.timedelta(days=7)), paid("Margaret", "2", START + dt.timedelta(days=7))], 48, False),
        # A start before the plan counts from the plan's start; one after its end counts nothing.
        ([paid("Priya", "2", START - dt.timedelta(days=30)), paid("Margaret", "2", END + dt.timedelta(days=1))], 26, False),
        ([paid("Priya", "1.5")], Decimal("19.5"), False),
    ],
)
def test_protected_time_is_summed_over_the_plan_against_its_resource(champions, planned, over):
    (use,) = rules.protected_time(champions=champions, resources=TIME, plan_start=START, plan_end=END)
    assert use.planned == planned and use.over is over
    assert (use.message() is not None) is over


def test_the_message_names_each_champions_hours():
    champions = [paid("Priya Sharma", "2"), paid("Margaret Bell", "2")]
    (use,) = rules.protected_time(champions=champions, resources=TIME, plan_start=START, plan_end=END)
    assert use.message() == (
        "Champions' protected time comes to 52 hours over the plan (Priya Sharma 26, Margaret Bell 26), more than the "
        "48 hours in “Digital champions' protected time”: add hours to the resource, or reduce or start the protected time later."
    )


def test_time_not_counted_in_hours_cannot_be_checked_and_says_so():
    days = {7: {"description": "Champion days", "quantity": Decimal("6"), "unit": "days"}}
    (use,) = rules.protected_time(champions=[paid("Priya", "2")], resources=days, plan_start=START, plan_end=END)
    assert not use.over and "is not counted in hours" in use.message()


def test_champions_without_hours_or_a_resource_use_none():
    champions = [paid("Priya", "0"), paid("Margaret", "2", resource_id=None)]
    assert rules.protected_time(champions=champions, resources=TIME, plan_start=START, plan_end=END) == []
