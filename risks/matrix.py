"""The 5x5 risk matrix: likelihood and impact scales, the score and its bands.

Defined once here and used by the register page, the heat map, the snapshot, the readiness
checklist and the PDF, so a risk can never be "high" on one and "extreme" on another.

The model is the NPSA's "A risk matrix for risk managers" (2008): score = likelihood x
consequence, so only 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20 and 25 occur. The bands are
the usual NPSA grading (1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme). The descriptors
are written for a care home's change project; the consequence scale is the harm to
residents, staff or visitors, which is what an inspector asks about first.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LEVEL = 1
MAX_LEVEL = 5
LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    descriptor: str

    @property
    def label(self) -> str:
        return f"{self.value} – {self.name}"


LIKELIHOOD: tuple[Level, ...] = (
    Level(1, "Rare", "We do not expect it ever to happen; at most once in several years."),
    Level(2, "Unlikely", "Not expected, but it could happen; perhaps once a year."),
    Level(3, "Possible", "It might happen from time to time; perhaps once a month."),
    Level(4, "Likely", "It will probably happen, though not all the time; perhaps weekly."),
    Level(5, "Almost certain", "It will happen, possibly often; perhaps daily."),
)

IMPACT: tuple[Level, ...] = (
    Level(1, "Negligible", "Little or no harm; no treatment or time off needed."),
    Level(2, "Minor", "Minor harm needing first aid or a GP visit; a few days off work."),
    Level(3, "Moderate", "Harm needing professional treatment; up to two weeks off; reportable; a few people affected."),
    Level(4, "Major", "Serious harm or lasting effects from care going wrong; more than two weeks off."),
    Level(5, "Catastrophic", "Death or permanent harm, or many people seriously affected."),
)


@dataclass(frozen=True)
class Band:
    key: str  # "low" ... "extreme": CSS class band-<key>, filter value, snapshot value
    name: str
    low: int  # lowest score in the band
    high: int  # highest score in the band
    colour: str  # the colour's name, for text alternatives ("amber")
    fill: str  # SVG fill and PDF background; the same hex as .band-<key> in oakview.css
    ink: str  # text colour on that fill, contrast >= 4.5:1
    action: str  # what the home does about a risk in this band (local policy, not NPSA)

    @property
    def css_class(self) -> str:
        return f"band-{self.key}"


BANDS: tuple[Band, ...] = (
    Band("low", "Low", 1, 3, "green", "#d1e7dd", "#0f5132", "Manage with routine controls; review from time to time."),
    Band("moderate", "Moderate", 4, 6, "yellow", "#fff3cd", "#5c4400", "Named owner and action plan; the manager monitors it."),
    Band(
        "high",
        "High",
        8,
        12,
        "amber",
        "#ffd8a8",
        "#6b3100",
        "Senior attention and a timed plan; tell the provider; review often.",
    ),
    Band(
        "extreme",
        "Extreme",
        15,
        25,
        "red",
        "#f5c2c7",
        "#6b1a21",
        "Act now and escalate to the provider; consider pausing the change.",
    ),
)
BANDS_BY_KEY = {band.key: band for band in BANDS}

# Bands a readiness check treats as serious enough to need a contingency plan.
SERIOUS_BANDS = frozenset({"high", "extreme"})

LIKELIHOOD_CHOICES = [(level.value, level.label) for level in LIKELIHOOD]
IMPACT_CHOICES = [(level.value, level.label) for level in IMPACT]


def likelihood(value: int) -> Level:
    return LIKELIHOOD[value - 1]


def impact(value: int) -> Level:
    return IMPACT[value - 1]


def score(likelihood_value: int, impact_value: int) -> int:
    return likelihood_value * impact_value


def band_for(score_value: int) -> Band:
    """The band of a score. 7, 13 and 14 cannot occur on a 5x5 matrix; should one ever be
    asked for, it goes to the next band up (the cautious reading)."""
    if not 1 <= score_value <= MAX_LEVEL * MAX_LEVEL:
        raise ValueError(f"A risk score is between 1 and 25, not {score_value}.")
    for band in BANDS:
        if score_value <= band.high:
            return band
    raise AssertionError("unreachable: the last band ends at 25")


def band_of(likelihood_value: int, impact_value: int) -> Band:
    return band_for(score(likelihood_value, impact_value))


def band_range(key: str) -> tuple[int, int]:
    """(lowest, highest) score of a band, for filtering in the database. A band's range runs
    up to the start of the next one so impossible scores still land somewhere."""
    ordered = list(BANDS)
    index = [b.key for b in ordered].index(key)
    low = ordered[index - 1].high + 1 if index else 1
    return low, ordered[index].high
