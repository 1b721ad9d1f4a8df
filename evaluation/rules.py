"""The evaluation rules, defined once and pure (plain values in, plain values out): progress
to target and the RAG status of a KPI, the run of off-target readings that asks for an
adjustment, the benefits case's sums, and the check for text that may identify a resident.

Pages, panels, the snapshot, the PDF and the demo all call these; nothing else computes a
RAG status.

Progress is the share of the way from baseline to target a value has come: 0 at the
baseline, 1 at the target, negative when worse than the baseline, whichever way is better.
The expected path runs in a straight line from the later of the baseline date and go-live
(nothing is expected to move before the system is in use) to the target date.

    green: the target is met, or the value is on (or within TOLERANCE of) the expected path
    amber: better than the baseline, but behind the path
    red:   no better than the baseline (after go-live: the dip, if it lasts, shows here)
    grey:  no measurement yet, or no baseline or target to judge it by
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TOLERANCE = Decimal("0.10")  # a tenth of the way from baseline to target
OFF_TARGET_RUN = 2  # readings in a row off target before an adjustment is suggested
WEEKS_A_YEAR = 52


@dataclass(frozen=True)
class Rag:
    key: str  # green | amber | red | grey
    label: str  # "On track"
    why: str  # one sentence a reader can check

    @property
    def off_target(self) -> bool:
        return self.key in ("amber", "red")


GREY_NO_DATA = Rag("grey", "No measurements", "Nothing has been measured yet.")
GREY_NO_TERMS = Rag("grey", "Not set", "A baseline and a target are needed to judge progress.")


@dataclass(frozen=True)
class Terms:
    """What a KPI is judged against."""

    baseline: Decimal | None
    target: Decimal | None
    higher_is_better: bool = True
    baseline_date: dt.date | None = None
    target_date: dt.date | None = None
    go_live: dt.date | None = None

    @property
    def complete(self) -> bool:
        return self.baseline is not None and self.target is not None


def to_decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def progress(terms: Terms, value: Decimal) -> Decimal | None:
    """How far from baseline (0) to target (1) the value has come; None without terms.
    A target equal to the baseline ("hold it there") is 1 when held or bettered, else 0."""
    if terms.baseline is None or terms.target is None:
        return None
    gap = terms.target - terms.baseline
    if gap == 0:
        better = value >= terms.target if terms.higher_is_better else value <= terms.target
        return Decimal(1) if better else Decimal(0)
    return (value - terms.baseline) / gap


def target_met(terms: Terms, value: Decimal) -> bool:
    if terms.target is None:
        return False
    return value >= terms.target if terms.higher_is_better else value <= terms.target


def expected_progress(terms: Terms, on: dt.date) -> Decimal:
    """The share of the way the KPI should have come by `on`, on a straight path."""
    starts = (
        max(d for d in (terms.baseline_date, terms.go_live) if d is not None) if (terms.baseline_date or terms.go_live) else None
    )
    if terms.target_date is None:
        return Decimal(0)
    if starts is None or starts >= terms.target_date:
        return Decimal(1) if on >= terms.target_date else Decimal(0)
    if on <= starts:
        return Decimal(0)
    if on >= terms.target_date:
        return Decimal(1)
    return Decimal((on - starts).days) / Decimal((terms.target_date - starts).days)


def rag(terms: Terms, value: Decimal | None, on: dt.date | None) -> Rag:
    """The RAG status of a reading `value` taken on `on`."""
    if value is None or on is None:
        return GREY_NO_DATA
    if not terms.complete:
        return GREY_NO_TERMS
    if target_met(terms, value):
        return Rag("green", "Target met", "The latest reading meets the target.")
    done = progress(terms, value)
    assert done is not None  # terms are complete
    expected = expected_progress(terms, on)
    if done >= expected - TOLERANCE:
        return Rag("green", "On track", f"{percent(done)} of the way to target, where {percent(expected)} was expected by now.")
    if done > 0:
        return Rag("amber", "Behind", f"{percent(done)} of the way to target, but {percent(expected)} was expected by now.")
    return Rag("red", "Off track", "No better than the baseline, where " + f"{percent(expected)} of the way was expected by now.")


def percent(share: Decimal) -> str:
    whole = (share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{whole + 0 if whole else 0}%"  # never "-0%"


@dataclass(frozen=True)
class Reading:
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class Status:
    """A KPI's position from its readings: the latest, progress, RAG, the trend, and whether
    it has been off target long enough to ask for an adjustment."""

    latest: Reading | None
    progress: Decimal | None
    rag: Rag
    off_target_run: int  # readings in a row, newest backwards, off target
    previous_rag: Rag | None

    @property
    def progress_percent(self) -> int | None:
        if self.progress is None:
            return None
        return int((self.progress * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) or 0

    @property
    def progress_bar(self) -> int:
        """The progress bar's width: 0 to 100."""
        return max(0, min(100, self.progress_percent or 0))

    @property
    def needs_adjustment(self) -> bool:
        return self.off_target_run >= OFF_TARGET_RUN


def status(terms: Terms, readings: Sequence[Reading]) -> Status:
    """From readings oldest first."""
    if not readings:
        return Status(None, None, GREY_NO_DATA if terms.complete else GREY_NO_TERMS, 0, None)
    rags = [rag(terms, r.value, r.date) for r in readings]
    run = 0
    for r in reversed(rags):
        if not r.off_target:
            break
        run += 1
    latest = readings[-1]
    return Status(latest, progress(terms, latest.value), rags[-1], run, rags[-2] if len(rags) > 1 else None)


def readings_of(points: Iterable[tuple[dt.date, Decimal]]) -> list[Reading]:
    return sorted((Reading(d, v) for d, v in points), key=lambda r: r.date)


def lowered(before: Terms, after: Terms) -> bool:
    """True when the target asks less than the approved one (for its direction)."""
    if before.target is None:
        return False
    if after.target is None:
        return True
    return after.target < before.target if before.higher_is_better else after.target > before.target


def in_range(value: Decimal, lowest: Decimal | None, highest: Decimal | None) -> str:
    """An empty string, or why the value cannot be a reading of this KPI."""
    if lowest is not None and value < lowest:
        return f"This KPI cannot go below {plain(lowest)}."
    if highest is not None and value > highest:
        return f"This KPI cannot go above {plain(highest)}."
    return ""


def plain(value: Decimal | None) -> str:
    """12.50 -> "12.5", 40.00 -> "40"; None -> "—"."""
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- The benefits case -------------------------------------------------------------------------


@dataclass(frozen=True)
class Benefits:
    cost: Decimal  # the plan's resources, in £
    hours_per_week: Decimal  # care hours given back to residents a week
    time_value_a_year: Decimal  # those hours in £ a year
    avoided_a_year: Decimal  # paper, printing, archiving
    events_avoided_a_year: int  # near-misses and the like
    horizon_years: int

    @property
    def benefit_a_year(self) -> Decimal:
        return self.time_value_a_year + self.avoided_a_year

    @property
    def net_cost(self) -> Decimal:
        """The first year's cost less the first year's benefit (negative: it pays for itself)."""
        return self.cost - self.benefit_a_year

    @property
    def payback_months(self) -> Decimal | None:
        if self.benefit_a_year <= 0:
            return None
        return (self.cost / (self.benefit_a_year / 12)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def roi(self) -> Decimal | None:
        """Return on investment over the horizon: (benefit - cost) / cost."""
        if self.cost <= 0:
            return None
        return ((self.benefit_a_year * self.horizon_years - self.cost) / self.cost).quantize(Decimal("0.01"))

    @property
    def saving(self) -> Decimal:
        """What the first year saves beyond its cost (0 when it does not pay for itself in a year)."""
        return max(-self.net_cost, Decimal(0))

    @property
    def roi_percent(self) -> int | None:
        return int((self.roi * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if self.roi is not None else None

    @property
    def hours_a_year(self) -> Decimal:
        return self.hours_per_week * WEEKS_A_YEAR


def benefits(
    *,
    cost: Decimal,
    minutes_per_shift: Decimal,
    shifts_per_week: int,
    hour_value: Decimal,
    avoided_a_year: Decimal,
    events_avoided_a_year: int,
    horizon_years: int,
) -> Benefits:
    hours = (minutes_per_shift * shifts_per_week / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Benefits(
        cost=cost,
        hours_per_week=hours,
        time_value_a_year=(hours * WEEKS_A_YEAR * hour_value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        avoided_a_year=avoided_a_year,
        events_avoided_a_year=events_avoided_a_year,
        horizon_years=horizon_years,
    )


# --- Does this text identify a resident? ------------------------------------------------------

NHS_NUMBER = re.compile(r"\b(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})\b")
DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\b[:\s]*\S+|\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b", re.IGNORECASE
)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def identifying(text: str, names: Iterable[str]) -> list[str]:
    """Why the text may identify a resident (a name on the home's list, a date of birth,
    an NHS number), one reason each; empty when nothing was seen."""
    reasons = []
    lowered_text = text.lower()
    found = sorted({n for n in names if n and len(n) > 2 and re.search(rf"\b{re.escape(n.lower())}\b", lowered_text)})
    if found:
        reasons.append("it names " + ", ".join(found) + ", on the home's list of residents")
    if DATE_OF_BIRTH.search(text):
        reasons.append("it has what looks like a date of birth")
    if any(nhs_number_valid("".join(m.groups())) for m in NHS_NUMBER.finditer(text)):
        reasons.append("it has what looks like an NHS number")
    return reasons
