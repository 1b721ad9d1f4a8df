"""Care-hours cover during training: does the floor keep the hours residents need?

For each day: available = rostered - hours of attendees off the floor + backfill, compared
with the home's required care hours. This answers the assessor's question "how will care
hours not be reduced during training?" with numbers.

Pure functions on plain values, so the same code serves the live plan page (cover_for_plan)
and a frozen revision snapshot in the review page and the PDF (cover_from_snapshot).

Days are calendar days in Europe/London, because that is how the rota is written; a session
that runs past midnight counts its hours on each day it touches.

Assumption, stated on the page too: attendees are trained in rostered time (the usual
practice: training is paid and planned into the rota), so every hour an attendee spends in
training is an hour off the floor unless backfill covers it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SessionHours:
    title: str
    starts_at: dt.datetime  # aware
    duration_hours: Decimal
    attendee_ids: tuple[int, ...]
    backfill_hours: Decimal


@dataclass(frozen=True)
class DayCover:
    day: dt.date
    rostered: Decimal
    off_floor: Decimal
    backfill: Decimal
    available: Decimal
    required: Decimal
    shortfall: Decimal  # never negative: a surplus is not a shortfall
    sessions: tuple[str, ...]

    @property
    def is_short(self) -> bool:
        return self.shortfall > 0

    @property
    def short_without_backfill(self) -> Decimal:
        """How short the day would be with no backfill: the gap the backfill is covering."""
        return max(self.required - (self.rostered - self.off_floor), Decimal("0"))

    @property
    def has_training(self) -> bool:
        return bool(self.sessions)


def _hours(seconds: float | int) -> Decimal:
    return (Decimal(int(round(seconds))) / Decimal(3600)).quantize(CENT, rounding=ROUND_HALF_UP)


def _local_midnight(day: dt.date) -> dt.datetime:
    # Midnight as a wall-clock time in London, so a 23- or 25-hour day around the clock
    # change still splits at the right instant.
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def _split_by_day(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """[(day, piece start, piece end)] for an interval that may cross one or more midnights."""
    pieces = []
    cursor = start
    while cursor < end:
        day = cursor.astimezone(LONDON).date()
        next_midnight = _local_midnight(day + dt.timedelta(days=1))
        piece_end = min(end, next_midnight)
        pieces.append((day, cursor, piece_end))
        cursor = piece_end
    return pieces


def _union_seconds(intervals: list[tuple[dt.datetime, dt.datetime]]) -> float:
    total = 0.0
    current: tuple[dt.datetime, dt.datetime] | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += (current[1] - current[0]).total_seconds()
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += (current[1] - current[0]).total_seconds()
    return total


def compute_cover(
    *,
    required: Decimal,
    rostered: Decimal,
    sessions: Iterable[SessionHours],
    start: dt.date | None,
    end: dt.date | None,
) -> list[DayCover]:
    """One DayCover for every day from start to end, plus any day a session falls outside it
    (a session scheduled outside the plan's dates must still show up, not vanish)."""
    # One pass over the sessions filling four accumulators, then one over the days: kept
    # together so the rule (off the floor once per person, backfill shared by hours) reads whole.
    required = Decimal(required)
    rostered = Decimal(rostered)
    # person -> day -> [(start, end)] of their time in training that day
    person_day: dict[int, dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]] = defaultdict(lambda: defaultdict(list))
    backfill: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    titles: dict[dt.date, list[str]] = defaultdict(list)

    for session in sessions:
        duration = Decimal(session.duration_hours)
        if duration <= 0:
            continue
        s_start = session.starts_at
        s_end = s_start + dt.timedelta(seconds=float(duration * 3600))
        total_seconds = (s_end - s_start).total_seconds()
        pieces = _split_by_day(s_start, s_end)
        allocated = ZERO
        for index, (day, p_start, p_end) in enumerate(pieces):
            titles[day].append(session.title)
            for person in set(session.attendee_ids):
                person_day[person][day].append((p_start, p_end))
            # Backfill is booked for the session; an overnight session's backfill is shared
            # across its days in proportion to the hours on each, the last day taking the
            # rounding remainder so the parts add up to what was recorded.
            if index == len(pieces) - 1:
                share = Decimal(session.backfill_hours) - allocated
            else:
                share = (
                    Decimal(session.backfill_hours) * Decimal((p_end - p_start).total_seconds()) / Decimal(total_seconds)
                ).quantize(CENT, rounding=ROUND_HALF_UP)
            allocated += share
            backfill[day] += share

    off_floor: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for days in person_day.values():
        for day, intervals in days.items():
            # One person in two sessions the same day is off the floor once for any time the
            # sessions overlap: a carer cannot be away twice over, so overlapping time counts once.
            off_floor[day] += _hours(_union_seconds(intervals))

    all_days: set[dt.date] = set(titles)
    if start and end and start <= end:
        all_days.update(start + dt.timedelta(days=n) for n in range((end - start).days + 1))

    cover = []
    for day in sorted(all_days):
        off = off_floor[day]
        back = backfill[day]
        available = rostered - off + back
        # Each day stands alone: surplus backfill one day does not carry to the next, because
        # a carer brought in on Tuesday does not help on Wednesday.
        shortfall = max(ZERO, required - available)
        cover.append(
            DayCover(
                day=day,
                rostered=rostered,
                off_floor=off,
                backfill=back,
                available=available,
                required=required,
                shortfall=shortfall,
                sessions=tuple(titles.get(day, ())),
            )
        )
    return cover


def shortfall_days(cover: Iterable[DayCover]) -> list[DayCover]:
    """The days below the required care hours."""
    return [day for day in cover if day.is_short]


def sessions_for_plan(plan: Any) -> list[SessionHours]:
    """From live rows. Uses plan.training_sessions.all() so a prefetch (with attendees) is reused."""
    return [
        SessionHours(
            title=t.title,
            starts_at=t.starts_at,
            duration_hours=Decimal(t.duration_hours),
            attendee_ids=tuple(sorted(u.pk for u in t.attendees.all())),
            backfill_hours=Decimal(t.backfill_hours),
        )
        for t in plan.training_sessions.all()
    ]


def cover_for_plan(plan: Any) -> list[DayCover]:
    """The plan's care-hours cover, day by day. On a plan instance whose training sessions
    are prefetched (the plan page) it is worked out once per request, however many of the
    page's parts ask (the cover chart, the readiness rule, the CSV): the memo is tied to
    that prefetched list, so a fresh prefetch computes it again."""
    sessions = getattr(plan, "_prefetched_objects_cache", {}).get("training_sessions")
    memo = plan.__dict__.get("_cover_memo")
    if sessions is not None and memo is not None and memo[0] is sessions:
        cover: list[DayCover] = memo[1]
        return cover
    cover = _cover_for_plan(plan)
    if sessions is not None:
        plan.__dict__["_cover_memo"] = (sessions, cover)
    return cover


def _cover_for_plan(plan: Any) -> list[DayCover]:
    home = plan.home
    return compute_cover(
        required=home.required_care_hours_per_day,
        rostered=home.rostered_care_hours_per_day,
        sessions=sessions_for_plan(plan),
        start=plan.start_date,
        end=plan.end_date,
    )


def plan_shortfall_days(plan: Any) -> list[DayCover]:
    """For the readiness rule "training days have care-hours cover"."""
    return shortfall_days(cover_for_plan(plan))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def cover_from_snapshot(plan_snapshot: dict[str, Any]) -> list[DayCover]:
    """From the "plan" part of a revision snapshot (plans.parts.plan). A whole snapshot
    ({"schema": ..., "plan": {...}}) is accepted too."""
    snap = plan_snapshot.get("plan", plan_snapshot) if "schema" in plan_snapshot else plan_snapshot
    home = snap.get("home", {})
    sessions = [
        SessionHours(
            title=t["title"],
            starts_at=dt.datetime.fromisoformat(t["starts_at"]),
            duration_hours=Decimal(t["duration_hours"]),
            attendee_ids=tuple(a["id"] for a in t.get("attendees", [])),
            backfill_hours=Decimal(t.get("backfill_hours") or "0"),
        )
        for t in snap.get("training", [])
    ]
    return compute_cover(
        required=Decimal(home.get("required_care_hours_per_day") or "0"),
        rostered=Decimal(home.get("rostered_care_hours_per_day") or "0"),
        sessions=sessions,
        start=_date(snap.get("start_date")),
        end=_date(snap.get("end_date")),
    )


def training_days(cover: Iterable[DayCover]) -> list[DayCover]:
    """The days worth a row in the table: those with training, and any short day."""
    return [day for day in cover if day.has_training or day.is_short]
