"""How far a plan has got, from plain values: milestone status derived from its actions,
per-section word guides, days to go-live. Pure, so the live pages, the revision page and
the PDF say the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .sections import WORD_GUIDE

REACHED, UNDER_WAY, NOT_STARTED = "reached", "under_way", "not_started"
MILESTONE_LABELS = {REACHED: "Reached", UNDER_WAY: "Under way", NOT_STARTED: "Not started"}

# The guide for one written answer: the whole guide shared by the five questions.
SECTION_WORD_GUIDE = (WORD_GUIDE[0] // 5, WORD_GUIDE[1] // 5)


def milestone_state(done: bool, action_statuses: Iterable[str]) -> str:
    """A milestone is reached when it is marked done or when every action towards it is
    done; under way once any of them has started."""
    statuses = list(action_statuses)
    if done or (statuses and all(s == "done" for s in statuses)):
        return REACHED
    if any(s in ("done", "in_progress", "blocked") for s in statuses):
        return UNDER_WAY
    return NOT_STARTED


def days_until(day: dt.date | None, today: dt.date) -> int | None:
    return (day - today).days if day else None


def section_words_status(words: int) -> str:
    low, high = SECTION_WORD_GUIDE
    return "under" if words < low else "over" if words > high else "within"
