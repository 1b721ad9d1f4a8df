"""The five questions an assessor asks: one order for the plan page, the review page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    number: int
    key: str
    title: str  # as the assessor's guide phrases the question
    narrative_field: str
    anchor: str

    @property
    def heading(self) -> str:
        """The header exactly as the case-study guide prints it: "1. Analysis of Need"."""
        return f"{self.number}. {self.title}"


SECTIONS: tuple[Section, ...] = (
    Section(1, "need", "Analysis of Need", "narrative_need", "section-need"),
    Section(2, "planning", "Planning and Resource Management", "narrative_planning", "section-planning"),
    Section(3, "support", "Gaining Support", "narrative_support", "section-support"),
    Section(4, "implementation", "Implementation and Risk", "narrative_implementation", "section-implementation"),
    Section(5, "evaluation", "Evaluation", "narrative_evaluation", "section-evaluation"),
)

SECTION_BY_NUMBER: dict[int, Section] = {s.number: s for s in SECTIONS}
SECTION_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}

# The guide for the written answers (all five narratives together).
WORD_GUIDE = (2500, 3500)
