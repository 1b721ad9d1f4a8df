"""The live criteria check: every criterion met, partly met or missing, from a snapshot.

The same function serves the plan overview (a snapshot built from the live plan), the
review page and the PDF's outcomes matrix (the revision's own snapshot), and the assessor
(the assessed revision). It advises: nothing here blocks a transition, which stays the
readiness checklist's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plans.parts import MET, MISSING, PARTLY, UNCHECKED, Evidence, EvidenceItem, collect_criteria_evidence

from .criteria import CRITERIA, CRITERIA_VERSION, GROUP_TITLES, Criterion, Jurisdiction, jurisdiction_for

STATUS_LABELS = {MET: "Met", PARTLY: "Partly met", MISSING: "Missing"}


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    text: str  # in the words of the home's jurisdiction
    status: str  # MET | PARTLY | MISSING
    items: tuple[EvidenceItem, ...] = ()
    to_complete: str = ""
    appendices: tuple[str, ...] = ()  # appendix keys carrying the evidence, in part order

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def met(self) -> bool:
        return self.status == MET


@dataclass(frozen=True)
class CriteriaGroup:
    key: str
    title: str
    results: list[CriterionResult]


@dataclass(frozen=True)
class CriteriaCheck:
    jurisdiction: Jurisdiction
    results: list[CriterionResult]
    version: str = CRITERIA_VERSION
    counts: dict[str, int] = field(default_factory=dict)

    def result(self, key: str) -> CriterionResult | None:
        return next((r for r in self.results if r.key == key), None)

    @property
    def groups(self) -> list[CriteriaGroup]:
        return [
            CriteriaGroup(key, title, [r for r in self.results if r.criterion.group == key])
            for key, title in GROUP_TITLES.items()
        ]

    def for_section(self, number: int) -> list[CriterionResult]:
        return [r for r in self.results if r.criterion.section == number]


def combine(criterion: Criterion, jurisdiction: Jurisdiction, evidence: list[Evidence]) -> CriterionResult:
    """Several parts may speak to one criterion: any part proving it meets it, unless one
    could not be checked (fail closed: an error never reads as met)."""
    items = tuple(item for e in evidence for item in e.items)
    appendices = tuple(dict.fromkeys(e.appendix for e in evidence if e.appendix))
    unchecked = [e for e in evidence if e.status == UNCHECKED]
    text = criterion.reads(jurisdiction)
    if unchecked:
        return CriterionResult(criterion, text, MISSING, items, " ".join(e.to_complete for e in unchecked), appendices)
    if any(e.status == MET for e in evidence):
        return CriterionResult(criterion, text, MET, items, "", appendices)
    partial = [e for e in evidence if e.status == PARTLY]
    if partial:
        hints = " ".join(dict.fromkeys(e.to_complete for e in partial if e.to_complete)) or criterion.to_complete
        return CriterionResult(criterion, text, PARTLY, items, hints, appendices)
    return CriterionResult(criterion, text, MISSING, (), criterion.to_complete, appendices)


def check_snapshot(snap: dict[str, Any]) -> CriteriaCheck:
    plan = snap.get("plan") or {}
    jurisdiction = jurisdiction_for((plan.get("home") or {}).get("regulator"))
    by_key: dict[str, list[Evidence]] = {}
    for evidence in collect_criteria_evidence(snap):
        by_key.setdefault(evidence.criterion, []).append(evidence)
    results = [combine(c, jurisdiction, by_key.get(c.key, [])) for c in CRITERIA]
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUS_LABELS}
    return CriteriaCheck(jurisdiction, results, counts=counts)
