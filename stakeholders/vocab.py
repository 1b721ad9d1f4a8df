"""The words of stakeholder mapping, declared once: power and interest levels, the four
quadrants and what each asks of the manager, stances and how they are drawn, the ADKAR
elements and the kind of action that addresses each, and who counts as staff.

Pure data: models, forms, charts, the snapshot and the PDF all read these, so a label or a
colour changes in one place. Wording is Oakview's own summary of Mendelow's power/interest
grid and Prosci's ADKAR model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MIN_LEVEL, MAX_LEVEL = 1, 5
# A level at or above this is "high". The midpoint counts as high on purpose: a group with
# moderate power over the change is engaged closely rather than left to monitoring.
HIGH_FROM = 3


@dataclass(frozen=True)
class Level:
    value: int
    name: str

    @property
    def label(self) -> str:
        return f"{self.value} {self.name}"


POWER = tuple(Level(v, n) for v, n in ((1, "Very little"), (2, "Little"), (3, "Some"), (4, "Considerable"), (5, "Decisive")))
INTEREST = tuple(Level(v, n) for v, n in ((1, "Very low"), (2, "Low"), (3, "Moderate"), (4, "High"), (5, "Very high")))
POWER_CHOICES = [(lv.value, lv.label) for lv in POWER]
INTEREST_CHOICES = [(lv.value, lv.label) for lv in INTEREST]


def is_high(level: int) -> bool:
    return level >= HIGH_FROM


# --- Quadrants ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    key: str
    name: str
    high_power: bool
    high_interest: bool
    strategy: str  # the suggested approach, shown beside the form and in the PDF
    fill: str  # background tint on the grid (text on it stays >= 4.5:1)


QUADRANTS = (
    Quadrant(
        "manage_closely",
        "Manage closely",
        True,
        True,
        "Involve them in decisions: consult early and often, and give them a part in the project group.",
        "#e4eee7",
    ),
    Quadrant(
        "keep_satisfied",
        "Keep satisfied",
        True,
        False,
        "Meet what they require: brief them at each milestone, without loading them with detail.",
        "#eef0f6",
    ),
    Quadrant(
        "keep_informed",
        "Keep informed",
        False,
        True,
        "Update them regularly and ask for their views: handled well they become champions, handled badly critics.",
        "#f7f2e4",
    ),
    Quadrant(
        "monitor",
        "Monitor",
        False,
        False,
        "Watch for their interest rising, and give them the basic information when they need it.",
        "#f4f4f4",
    ),
)
QUADRANT_BY_KEY = {q.key: q for q in QUADRANTS}


def quadrant_of(power: int, interest: int) -> Quadrant:
    high_power, high_interest = is_high(power), is_high(interest)
    return next(q for q in QUADRANTS if q.high_power == high_power and q.high_interest == high_interest)


# --- Stances -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stance:
    key: str
    name: str
    supportive: bool  # counts towards the share of staff who support the change
    resistant: bool  # needs a champion on its shift, and a strategy when powerful
    shape: str  # marker shape on the grid: stance is never shown by colour alone
    fill: str
    ink: str  # the marker's number, >= 4.5:1 on fill


STANCES = (
    Stance("resistant", "Resistant", False, True, "square", "#8c1c24", "#ffffff"),
    Stance("sceptical", "Sceptical", False, True, "diamond", "#b45309", "#ffffff"),
    Stance("neutral", "Neutral", False, False, "circle", "#5a6169", "#ffffff"),
    Stance("supportive", "Supportive", True, False, "triangle", "#1f6f43", "#ffffff"),
    Stance("champion", "Champion", True, False, "hexagon", "#154273", "#ffffff"),
)
STANCE_BY_KEY = {s.key: s for s in STANCES}
STANCE_CHOICES = [(s.key, s.name) for s in STANCES]
UNKNOWN_STANCE = Stance("unknown", "Not recorded", False, False, "circle", "#ffffff", "#212529")


def stance(key_or_name: str | None) -> Stance:
    """By key or by the name a snapshot stores ("Sceptical"); never fails, so an old
    snapshot with a stance since renamed still draws."""
    text = (key_or_name or "").strip().lower()
    return STANCE_BY_KEY.get(text) or next((s for s in STANCES if s.name.lower() == text), UNKNOWN_STANCE)


# --- Kinds and shift patterns ------------------------------------------------------------------

STAFF_GROUP = "staff_group"
KIND_CHOICES = [
    (STAFF_GROUP, "Staff group"),
    ("resident", "Residents"),
    ("family", "Families and representatives"),
    ("management", "Management"),
    ("external_professional", "External professional"),
    ("regulator", "Regulator or commissioner"),
    ("supplier", "Supplier"),
]
KIND_NAMES = dict(KIND_CHOICES)
SHIFT_CHOICES = [("days", "Days"), ("nights", "Nights"), ("weekends", "Weekends")]
SHIFT_NAMES = dict(SHIFT_CHOICES)


def kind_key(key_or_name: str | None) -> str:
    """A kind's key from its key or the name a snapshot stores ("Staff group")."""
    text = (key_or_name or "").strip()
    return text if text in KIND_NAMES else next((k for k, n in KIND_CHOICES if n.lower() == text.lower()), text)


def shift_key(key_or_name: str | None) -> str:
    text = (key_or_name or "").strip()
    return text if text in SHIFT_NAMES else next((k for k, n in SHIFT_CHOICES if n.lower() == text.lower()), text.lower())


# --- ADKAR --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdkarElement:
    key: str
    name: str
    question: str  # what a score of 1-5 answers
    action_kind: str  # the kind of action that addresses it when it is the barrier
    action: str  # what that looks like in a care home
    activity_kinds: tuple[str, ...]  # engagement activity kinds that do it


ADKAR = (
    AdkarElement(
        "awareness",
        "Awareness",
        "Do they understand why the change is needed?",
        "Explain the reason",
        "Share the evidence in their terms: the near-misses, the audit, what the inspector found.",
        ("team_meeting", "huddle", "newsletter"),
    ),
    AdkarElement(
        "desire",
        "Desire",
        "Do they want to take part?",
        "Involve and listen",
        "Listen to what worries them and answer it; let them see trusted colleagues using it; say what is in it for them.",
        ("one_to_one", "pilot_group", "drop_in"),
    ),
    AdkarElement(
        "knowledge",
        "Knowledge",
        "Do they know how?",
        "Train",
        "Training in paid time, short guides at the point of care, drop-ins to practise.",
        ("workshop", "drop_in"),
    ),
    AdkarElement(
        "ability",
        "Ability",
        "Can they do it on a real shift?",
        "Coach on shift",
        "A champion alongside on their own shifts; time to practise; fix the devices and Wi-Fi that get in the way.",
        ("pilot_group", "one_to_one", "huddle"),
    ),
    AdkarElement(
        "reinforcement",
        "Reinforcement",
        "Is it kept up?",
        "Recognise and reinforce",
        "Notice good recording at handover, share the results, and remove the old paper route.",
        ("huddle", "team_meeting", "newsletter"),
    ),
)
ADKAR_KEYS = tuple(e.key for e in ADKAR)
# An element at or below this is a barrier; the first such element, in ADKAR order, is the
# one to work on, because each step rests on the ones before it.
BARRIER_AT_OR_BELOW = 3


def adkar_barrier(scores: Mapping[str, int | None]) -> AdkarElement | None:
    return next((e for e in ADKAR if (scores.get(e.key) or 0) <= BARRIER_AT_OR_BELOW), None)


ACTIVITY_KIND_CHOICES = [
    ("workshop", "Workshop"),
    ("pilot_group", "Pilot group"),
    ("drop_in", "Drop-in"),
    ("one_to_one", "One-to-one"),
    ("team_meeting", "Team meeting"),
    ("newsletter", "Newsletter"),
    ("huddle", "Huddle"),
]
ACTIVITY_KIND_NAMES = dict(ACTIVITY_KIND_CHOICES)
