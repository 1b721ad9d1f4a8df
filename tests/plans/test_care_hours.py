"""Care-hours cover: the numbers that prove training does not cut the care residents get."""

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from plans.parts.plan import PlanContentPart
from plans.snapshot.care_hours import (
    SessionHours,
    compute_cover,
    cover_for_plan,
    cover_from_snapshot,
    plan_shortfall_days,
    shortfall_days,
)
from plans.snapshot.charts import cover_chart_svg
from tests.factories import PlanFactory, TrainingSessionFactory, UserFactory

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, h, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=LONDON)


def session(title, starts_at, hours, people, backfill="0"):
    return SessionHours(title, starts_at, D(hours), tuple(people), D(backfill))


def by_day(cover):
    return {c.day: c for c in cover}


def test_day_without_training_has_rostered_hours():
    cover = compute_cover(required=D(90), rostered=D(96), sessions=[], start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 6))
    assert [c.day.day for c in cover] == [4, 5, 6]
    assert all(c.available == D(96) and c.shortfall == 0 for c in cover)


def test_attendees_off_the_floor_make_a_shortfall_and_backfill_closes_it():
    short = compute_cover(
        required=D(90),
        rostered=D(96),
        start=None,
        end=None,
        sessions=[session("Basics", at(2027, 1, 12, 9), "3", [1, 2, 3])],
    )
    assert short[0].off_floor == D(9) and short[0].available == D(87) and short[0].shortfall == D(3)
    covered = compute_cover(
        required=D(90),
        rostered=D(96),
        start=None,
        end=None,
        sessions=[session("Basics", at(2027, 1, 12, 9), "3", [1, 2, 3], backfill="4")],
    )
    assert covered[0].available == D(91) and covered[0].shortfall == 0
    assert shortfall_days(short) == short and shortfall_days(covered) == []
    # The plan page says the backfill is what keeps the day covered, and by how much.
    assert covered[0].short_without_backfill == D(3)
    assert (
        compute_cover(
            required=D(90), rostered=D(96), start=None, end=None, sessions=[session("One", at(2027, 1, 12, 9), "3", [1])]
        )[0].short_without_backfill
        == 0
    )


def test_overnight_session_counts_hours_on_each_day_it_touches():
    # 22:00 to 02:00: two hours on the 12th, two on the 13th; backfill split the same way.
    cover = by_day(
        compute_cover(
            required=D(90),
            rostered=D(96),
            start=None,
            end=None,
            sessions=[session("Night shift induction", at(2027, 1, 12, 22), "4", [7, 8], backfill="3")],
        )
    )
    assert cover[dt.date(2027, 1, 12)].off_floor == D(4)
    assert cover[dt.date(2027, 1, 13)].off_floor == D(4)
    assert cover[dt.date(2027, 1, 12)].backfill + cover[dt.date(2027, 1, 13)].backfill == D(3)
    assert cover[dt.date(2027, 1, 12)].backfill == D("1.50")
    assert cover[dt.date(2027, 1, 13)].sessions == ("Night shift induction",)


def test_overnight_split_follows_london_midnight_not_utc():
    # In summer London is UTC+1: 23:30 London is 22:30 UTC; the first half hour is on the 1st.
    cover = by_day(
        compute_cover(
            required=D(0),
            rostered=D(0),
            start=None,
            end=None,
            sessions=[session("Late", at(2027, 7, 1, 23, 30), "1", [1])],
        )
    )
    assert cover[dt.date(2027, 7, 1)].off_floor == D("0.50")
    assert cover[dt.date(2027, 7, 2)].off_floor == D("0.50")


def test_one_person_in_two_overlapping_sessions_is_off_the_floor_once():
    cover = compute_cover(
        required=D(90),
        rostered=D(96),
        start=None,
        end=None,
        sessions=[
            session("Tablets", at(2027, 1, 12, 9), "3", [1]),  # 09:00-12:00
            session("eMAR", at(2027, 1, 12, 11), "2", [1, 2]),  # 11:00-13:00
        ],
    )
    # Person 1: 09:00-13:00 = 4 h (not 5); person 2: 2 h.
    assert cover[0].off_floor == D(6)
    assert cover[0].sessions == ("Tablets", "eMAR")


def test_one_person_in_two_separate_sessions_counts_both():
    cover = compute_cover(
        required=D(90),
        rostered=D(96),
        start=None,
        end=None,
        sessions=[session("Morning", at(2027, 1, 12, 9), "2", [1]), session("Afternoon", at(2027, 1, 12, 14), "2", [1])],
    )
    assert cover[0].off_floor == D(4)


def test_backfill_larger_than_the_gap_gives_no_negative_shortfall_and_does_not_carry_over():
    cover = by_day(
        compute_cover(
            required=D(90),
            rostered=D(96),
            start=dt.date(2027, 1, 12),
            end=dt.date(2027, 1, 13),
            sessions=[
                session("Big day", at(2027, 1, 12, 9), "2", [1, 2], backfill="20"),
                session("Next day", at(2027, 1, 13, 9), "4", [1, 2, 3]),
            ],
        )
    )
    assert cover[dt.date(2027, 1, 12)].shortfall == 0
    assert cover[dt.date(2027, 1, 12)].available == D(112)
    # The 16-hour surplus on the 12th does not help on the 13th.
    assert cover[dt.date(2027, 1, 13)].shortfall == D(6)


def test_session_outside_the_plan_dates_still_shows():
    cover = compute_cover(
        required=D(90),
        rostered=D(96),
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 1, 2),
        sessions=[session("Late addition", at(2027, 2, 1, 9), "3", [1, 2, 3])],
    )
    assert [c.day for c in cover] == [dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 2, 1)]
    assert cover[-1].is_short


@pytest.mark.django_db
def test_live_plan_and_its_snapshot_give_the_same_cover():
    plan = PlanFactory(start_date=dt.date(2027, 1, 10), go_live_date=dt.date(2027, 1, 20), end_date=dt.date(2027, 1, 31))
    people = [UserFactory() for _ in range(3)]
    short = TrainingSessionFactory(plan=plan, starts_at=at(2027, 1, 12, 9), duration_hours=D(3))
    short.attendees.set(people)
    covered = TrainingSessionFactory(plan=plan, starts_at=at(2027, 1, 14, 22), duration_hours=D(4), backfill_hours=D(8))
    covered.attendees.set(people)
    live = cover_for_plan(plan)
    snap = PlanContentPart().snapshot(plan)
    assert cover_from_snapshot(snap) == live
    assert cover_from_snapshot({"schema": 1, "plan": snap}) == live
    assert len(live) == 22
    assert [d.day for d in plan_shortfall_days(plan)] == [dt.date(2027, 1, 12)]


def test_chart_describes_short_days_in_words_not_only_colour():
    cover = compute_cover(
        required=D(90),
        rostered=D(96),
        start=None,
        end=None,
        sessions=[
            session("Basics", at(2027, 1, 12, 9), "3", [1, 2, 3]),
            session("Covered", at(2027, 1, 14, 9), "3", [1, 2, 3], backfill="4"),
        ],
    )
    svg = str(cover_chart_svg(cover))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<desc" in svg and "1 below the required 90 hours: 12 Jan short by 3 h" in svg
    # Headroom above the requirement, in hours, each bar with its figure: the 3 h shortfall is
    # a red bar below the zero line marked "!", the backfilled day shows what it would be without.
    assert "! \u22123 h</text>" in svg and "required: 90 h a day" in svg
    assert "+1 h</text>" in svg and "without backfill" in svg
    assert cover_chart_svg([]) == ""
