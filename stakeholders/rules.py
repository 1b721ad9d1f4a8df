"""The part's rules as pure functions of plain data, so the live pages, the snapshot, the
review page and the PDF reach the same answer, and tests can state them as tables.

- weekly_shares: the share of staff (by headcount) who are supportive or champions, and the
  share resistant or sceptical, week by week.
- coverage: every shift pattern with resistant staff has a champion on it, and no champion
  supports more people than their cap.
- protected_time: the champions' protected hours over the plan, against the staff-time
  resource that pays for them.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .vocab import SHIFT_NAMES, shift_key, stance

# A concern without a response for longer than this is flagged on the dashboard and in the
# readiness checklist: two weeks is as long as anyone should wait to hear back.
CONCERN_ANSWER_DAYS = 14


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- Stance over time -------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupHistory:
    """One staff group: its headcount and its stance records [(date, stance key or name)]."""

    headcount: int
    records: tuple[tuple[dt.date, str], ...]


@dataclass(frozen=True)
class WeekShare:
    week: dt.date  # the Monday
    supportive: float  # percent of mapped staff, 0-100
    resistant: float
    staff: int  # headcount mapped by the end of that week


def weekly_shares(groups: Iterable[GroupHistory], *, start: dt.date | None, until: dt.date) -> list[WeekShare]:
    """One point per week from the week of `start` (or of the first record) to the week of
    `until`. Each week counts the stance in force at its end (Sunday, or `until` in the last
    week), weighted by each group's headcount; a group not yet mapped by then is left out,
    and a week with no staff mapped has no point (no data is not 0%)."""
    prepared = []
    for group in groups:
        records = sorted(group.records, key=lambda r: r[0])
        if records and group.headcount > 0:
            prepared.append((group.headcount, [r[0] for r in records], [stance(r[1]) for r in records]))
    if not prepared:
        return []
    first = min(dates[0] for _, dates, _ in prepared)
    week = monday(start if start is not None else first)
    points: list[WeekShare] = []
    while week <= until:
        as_of = min(week + dt.timedelta(days=6), until)
        total = supportive = resistant = 0
        for headcount, dates, stances in prepared:
            index = bisect_right(dates, as_of) - 1
            if index < 0:
                continue
            total += headcount
            supportive += headcount if stances[index].supportive else 0
            resistant += headcount if stances[index].resistant else 0
        if total:
            points.append(WeekShare(week, round(100 * supportive / total, 1), round(100 * resistant / total, 1), total))
        week += dt.timedelta(days=7)
    return points


# --- Champion coverage -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChampionLoad:
    name: str
    shift: str  # key: days, nights, weekends
    people: int  # individuals plus the headcount of the groups they support
    cap: int

    @property
    def over_cap(self) -> bool:
        return self.people > self.cap


@dataclass(frozen=True)
class ShiftCover:
    shift: str
    resistant_groups: tuple[str, ...]  # names of resistant or sceptical staff groups on it
    resistant_headcount: int
    champions: tuple[str, ...]

    @property
    def name(self) -> str:
        return SHIFT_NAMES.get(self.shift, self.shift)

    @property
    def covered(self) -> bool:
        return bool(self.champions) or not self.resistant_groups


@dataclass(frozen=True)
class Coverage:
    shifts: tuple[ShiftCover, ...]
    loads: tuple[ChampionLoad, ...]
    gaps: tuple[ShiftCover, ...] = field(default=())
    over_cap: tuple[ChampionLoad, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.gaps and not self.over_cap

    @property
    def relevant(self) -> tuple[ShiftCover, ...]:
        """Shift patterns with resistant staff or a champion on them (the rest say nothing)."""
        return tuple(s for s in self.shifts if s.resistant_groups or s.champions)

    def messages(self) -> list[str]:
        out = [
            f"No champion works {gap.name.lower()}, where {_names(gap.resistant_groups)} "
            f"({gap.resistant_headcount} {'person' if gap.resistant_headcount == 1 else 'people'}) "
            f"{'is' if len(gap.resistant_groups) == 1 else 'are'} resistant or sceptical."
            for gap in self.gaps
        ]
        out += [
            f"{load.name} supports {load.people} people, more than their cap of {load.cap}: "
            "pair some of them with another champion."
            for load in self.over_cap
        ]
        return out


def coverage(*, groups: Iterable[dict], champions: Iterable[dict]) -> Coverage:
    """groups: staff groups {"name", "shift", "stance", "headcount"}; champions: {"name",
    "shift", "people", "cap"}. Shift and stance as keys or as the names a snapshot keeps."""
    loads = tuple(
        ChampionLoad(c["name"], shift_key(c.get("shift")), int(c.get("people") or 0), int(c.get("cap") or 0)) for c in champions
    )
    resistant: dict[str, list[dict]] = {}
    for group in groups:
        shift = shift_key(group.get("shift"))
        if shift and stance(group.get("stance")).resistant:
            resistant.setdefault(shift, []).append(group)
    shifts = []
    for shift in SHIFT_NAMES:
        on_shift = resistant.get(shift, [])
        shifts.append(
            ShiftCover(
                shift=shift,
                resistant_groups=tuple(g["name"] for g in on_shift),
                resistant_headcount=sum(int(g.get("headcount") or 0) for g in on_shift),
                champions=tuple(load.name for load in loads if load.shift == shift),
            )
        )
    return Coverage(
        shifts=tuple(shifts),
        loads=loads,
        gaps=tuple(s for s in shifts if not s.covered),
        over_cap=tuple(load for load in loads if load.over_cap),
    )


def _names(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def concern_overdue(*, status: str, raised_on: dt.date | None, today: dt.date) -> bool:
    return status == "open" and raised_on is not None and (today - raised_on).days > CONCERN_ANSWER_DAYS


# --- Protected time ----------------------------------------------------------------------------

# A resource whose unit is one of these counts hours, so champions' time can be summed against it.
HOUR_UNITS = frozenset({"hour", "hours", "hr", "hrs", "h"})


@dataclass(frozen=True)
class ChampionTime:
    name: str
    hours_per_week: Decimal
    weeks: Decimal  # from their protected time's start to the plan's end

    @property
    def hours(self) -> Decimal:
        return (self.hours_per_week * self.weeks).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ResourceUse:
    """One staff-time resource and the champions' protected hours it pays for."""

    resource: str  # its description
    quantity: Decimal
    unit: str
    champions: tuple[ChampionTime, ...]

    @property
    def in_hours(self) -> bool:
        return self.unit.strip().lower() in HOUR_UNITS

    @property
    def planned(self) -> Decimal:
        return sum((c.hours for c in self.champions), Decimal("0"))

    @property
    def over(self) -> bool:
        return self.in_hours and self.planned > self.quantity

    def message(self) -> str | None:
        if not self.in_hours:
            return (
                f"“{self.resource}” pays for champions' protected time but is not counted in hours: "
                "give its quantity in hours, so the time promised can be checked against it."
            )
        if not self.over:
            return None
        each = ", ".join(f"{c.name} {_hours(c.hours)}" for c in self.champions)
        return (
            f"Champions' protected time comes to {_hours(self.planned)} hours over the plan ({each}), "
            f"more than the {_hours(self.quantity)} hours in “{self.resource}”: add hours to the resource, "
            "or reduce or start the protected time later."
        )


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def weeks_between(start: dt.date, end: dt.date) -> Decimal:
    """Weeks of protected time from `start` to the plan's `end` (none if it starts after)."""
    return max(Decimal((end - start).days) / 7, Decimal("0"))


def protected_time(
    *, champions: Iterable[dict], resources: dict[int, dict], plan_start: dt.date, plan_end: dt.date
) -> list[ResourceUse]:
    """champions: {"name", "hours_per_week", "from" (a date or None: the plan's start),
    "resource_id"}; resources: id -> {"description", "quantity", "unit"}. One entry per
    resource that pays for some protected time, in the resources' order."""
    paid: dict[int, list[ChampionTime]] = {}
    for c in champions:
        hours = Decimal(c.get("hours_per_week") or 0)
        if hours <= 0 or c.get("resource_id") not in resources:
            continue
        weeks = weeks_between(max(c.get("from") or plan_start, plan_start), plan_end)
        paid.setdefault(c["resource_id"], []).append(ChampionTime(c["name"], hours, weeks))
    return [
        ResourceUse(r["description"], Decimal(r["quantity"] or 0), r.get("unit") or "", tuple(paid[pk]))
        for pk, r in resources.items()
        if pk in paid
    ]


# --- Communication plan ------------------------------------------------------------------------

_EVERY_DAYS = {"daily": 1, "weekly": 7, "fortnightly": 14}


def next_due_after(frequency: str, sent_on: dt.date) -> dt.date | None:
    """When a message sent on `sent_on` is next due. None for a one-off, and for "at each
    milestone", whose next date is the next milestone's (the manager sets it)."""
    if frequency in _EVERY_DAYS:
        return sent_on + dt.timedelta(days=_EVERY_DAYS[frequency])
    if frequency == "monthly":
        year, month = (sent_on.year + 1, 1) if sent_on.month == 12 else (sent_on.year, sent_on.month + 1)
        for day in (sent_on.day, 30, 29, 28):  # 31 Jan -> 28 or 29 Feb
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
    return None
