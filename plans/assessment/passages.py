"""The passages of a narrative a manager may link to a criterion: its paragraphs. Pure."""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n\s*\n")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def normalise(text: str) -> str:
    return " ".join(str(text).split())


def paragraphs(narrative: str) -> list[str]:
    """The narrative's paragraphs, whitespace folded, without headings or empty ones."""
    found = []
    for block in _BLANK_LINE.split(str(narrative or "").replace("\r\n", "\n")):
        text = normalise(block)
        if text and not _HEADING.match(block.strip("\n")):
            found.append(text)
    return found


def still_there(passage: str, narrative: str) -> bool:
    """Whether a linked passage is still in the narrative (after whitespace is folded)."""
    wanted = normalise(passage)
    return bool(wanted) and wanted in normalise(narrative)
