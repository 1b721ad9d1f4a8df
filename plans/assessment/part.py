"""The assessment part: the case-study criteria on the plan overview, the review page and in
the PDF, and the passages the manager links to the criteria only prose can meet.

A part like any other (registered in plans.apps): its snapshot freezes the linked passages
into each revision, so the assessor reads the links the manager submitted; its evidence is
the passages and what the document itself guarantees (labelled, cited appendices; the
font); its appendix is the outcomes matrix. The check itself asks every part
(plans.parts.collect_criteria_evidence), so this module names no other part.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from oakview.core.models import Standard
from plans.models import AssessorAssignment, CriterionPassage, Plan
from plans.parts import MET, PARTLY, Appendix, Block, Column, Evidence, EvidenceItem, Panel, PlanPart, RowKind, build_snapshot
from plans.parts.plan_appendices import tagged_standards
from plans.snapshot.sections import SECTION_BY_KEY, SECTIONS

from . import feedback
from .check import CriteriaCheck, CriterionResult, check_snapshot
from .criteria import CRITERION_BY_KEY, PROSE_KEYS, UK_WIDE_FRAMEWORKS, jurisdiction_for
from .passages import paragraphs, still_there

VERSION = 1
OUTCOMES_TITLE = "Outcomes matrix"

PASSAGES = RowKind(
    "passages",
    "Passage linked to a criterion",
    "Passages linked to the assessment criteria",
    label_keys=("criterion_title",),
    columns=(Column("criterion_title", "Criterion"), Column("section_title", "Answer"), Column("text", "Passage")),
)


def passage_row(p: CriterionPassage) -> dict[str, Any]:
    criterion = CRITERION_BY_KEY.get(p.criterion)
    section = SECTION_BY_KEY.get(p.section)
    return {
        "id": p.pk,
        "criterion": p.criterion,
        "criterion_title": criterion.title if criterion else p.criterion,
        "section": p.section,
        "section_title": f"{section.number} {section.title}" if section else p.section,
        "text": p.text,
    }


def passages_of(snap: dict[str, Any]) -> list[dict[str, Any]]:
    part = snap.get("assessment")
    rows = part.get("passages") if isinstance(part, dict) else None
    return [r for r in rows or [] if isinstance(r, dict)]


def _clip(text: str, length: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class AssessmentPart(PlanPart):
    key = "assessment"
    title = "Case-study criteria"
    order = 90
    row_kinds = (PASSAGES,)
    criteria = (*sorted(PROSE_KEYS), "sub.appendices", "sub.font")
    field_labels = {"criterion_title": "Criterion", "section_title": "Answer", "text": "Passage"}

    def snapshot(self, plan: Plan) -> dict[str, Any]:
        rows = CriterionPassage.objects.filter(plan=plan).order_by("criterion", "id")
        return {"version": VERSION, "passages": [passage_row(p) for p in rows]}

    # --- Evidence ---------------------------------------------------------------------------

    def criteria_evidence(self, snap: dict[str, Any]) -> list[Evidence]:
        plan = snap.get("plan") or {}
        narratives = plan.get("narratives") or {}
        found = []
        for row in passages_of(snap):
            section = SECTION_BY_KEY.get(row.get("section", ""))
            where = f"{section.number} {section.title}" if section else "the narrative"
            url = reverse("plans:plan-detail", args=[plan["id"]]) + f"#{section.anchor}" if section and plan.get("id") else ""
            item = EvidenceItem(f"Passage in {where}: “{_clip(row.get('text', ''))}”", url)
            if still_there(row.get("text", ""), narratives.get(row.get("section", ""), "")):
                found.append(Evidence(row.get("criterion", ""), MET, (item,)))
            else:
                found.append(Evidence(
                    row.get("criterion", ""), PARTLY, (item,),
                    to_complete=f"The passage linked from {where} is no longer in its answer: link the passage as it now reads.",
                ))  # fmt: skip
        found.append(self._standards(snap))
        found.extend(self._document(snap))
        return found

    def _standards(self, snap: dict[str, Any]) -> Evidence:
        jurisdiction = jurisdiction_for(((snap.get("plan") or {}).get("home") or {}).get("regulator"))
        tags = tagged_standards(snap)
        codes = sorted({code for code, _, _ in tags})
        # One query: which framework each tagged code is in (shipped reference data).
        frameworks: dict[str, set[str]] = {}
        for code, framework in Standard.objects.filter(code__in=codes).values_list("code", "framework__code"):
            frameworks.setdefault(code, set()).add(framework)
        counted = set(jurisdiction.frameworks) | set(UK_WIDE_FRAMEWORKS)
        applying = [c for c in codes if frameworks.get(c, set()) & counted]
        items = tuple(EvidenceItem(f"{code}: {where}") for code, where, _ in tags if code in applying)
        if applying:
            return Evidence("sub.standards", MET, items[:12], appendix="standards")
        if codes:
            return Evidence(
                "sub.standards",
                PARTLY,
                tuple(EvidenceItem(f"{code}: {where}") for code, where, _ in tags[:12]),
                to_complete=f"The standards tagged are not the ones {jurisdiction.regulator} inspects against: "
                f"refer to {jurisdiction.standards}.",
                appendix="standards",
            )
        return Evidence("sub.standards", PARTLY, (), to_complete="No standards are tagged yet.")  # never met on nothing

    def _document(self, snap: dict[str, Any]) -> list[Evidence]:
        plan = snap.get("plan") or {}
        found = [
            Evidence(
                "sub.font",
                MET,
                (EvidenceItem("The PDF is set in Carlito 11 pt, metric-compatible with Calibri, with the font embedded"),),
            )
        ]
        if plan.get("training") or plan.get("resources") or plan.get("actions"):
            found.append(
                Evidence(
                    "sub.appendices",
                    MET,
                    (
                        EvidenceItem(
                            "The PDF letters each appendix in the order the answers cite it, and each answer cites its own"
                        ),
                    ),
                )
            )
        return found

    # --- Pages and the document -----------------------------------------------------------------

    def plan_panels(self, request: HttpRequest, plan: Plan) -> list[Panel]:
        perms = getattr(plan, "perms", None)
        if perms is None or not (perms.can_manage or perms.can_review):
            return []
        snap = build_snapshot(plan)
        check = check_snapshot(snap)
        panels = [
            Panel(
                "plans/assessment/_criteria_panel.html",
                {"plan": plan, "check": check, "can_link": perms.can_edit, "passages": _by_criterion(passages_of(snap))},
                slot="overview",
                order=50,
            )
        ]
        if perms.can_manage:
            panels.extend(feedback.plan_panels(plan, check))
        return panels

    def approver_summary(self, snap: dict[str, Any]) -> list[Block]:
        return [Block("plans/assessment/_criteria_summary.html", {"check": check_snapshot(snap)}, order=90, title=self.title)]

    def appendices(self, snap: dict[str, Any]) -> list[Appendix]:
        return [
            Appendix(
                key="outcomes",
                title=OUTCOMES_TITLE,
                template="pdf/assessment/outcomes.html",
                context=outcomes_context(check_snapshot(snap)),
                section=0,
            )
        ]

    def seed_demo(self, ctx: Any, plan: Plan) -> None:
        demo_link_passages(plan, ctx.users["manager"])
        # The demo's viewer is a quality assessor: asked to assess this plan, so they can
        # assess the approved revision and the manager sees their feedback.
        if "viewer" in ctx.users:
            AssessorAssignment.objects.get_or_create(
                plan=plan, assessor=ctx.users["viewer"], defaults={"assigned_by": ctx.users["manager"]}
            )


def _by_criterion(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row.get("criterion", ""), []).append(row)
    return grouped


def outcomes_context(check: CriteriaCheck) -> dict[str, Any]:
    """Each criterion, the answer that evidences it (a link the PDF turns into a page
    number) and the appendices that carry its records (lettered when the document is)."""

    def row(result: CriterionResult) -> dict[str, Any]:
        section = next((s for s in SECTIONS if s.number == result.criterion.section), None)
        return {"result": result, "section": section, "appendices": result.appendices}

    groups = [{"title": g.title, "rows": [row(r) for r in g.results]} for g in check.groups]
    return {"groups": groups, "check": check}


# --- The demo ---------------------------------------------------------------------------------

# The demo links, for each prose criterion, the first paragraph of its answer that mentions one
# of these words (or the answer's first paragraph).
DEMO_LINKS = {
    "q1.paper_risk": ("need", ("paper", "risk")),
    "q1.buy_in": ("support", ("resistant", "buy-in", "concern")),
    "outcome.safety": ("need", ("safe", "residents")),
    "sub.standards": ("need", ("regulation", "cqc", "standard")),
    "sub.depth": ("implementation", ("because", "so that", "means")),
    "q5.three_months": ("evaluation", ("three months", "3 months", "month")),
    "outcome.evaluation": ("evaluation", ("culture", "confidence", "adopt")),
}


def demo_link_passages(plan: Plan, manager: Any) -> None:
    """Idempotent: a criterion that already has a passage keeps it."""
    linked = set(CriterionPassage.objects.filter(plan=plan).values_list("criterion", flat=True))
    for criterion, (section_key, words) in DEMO_LINKS.items():
        if criterion in linked:
            continue
        found = paragraphs(plan.narrative(SECTION_BY_KEY[section_key]))
        if not found:
            continue
        text = next((p for p in found if any(w in p.lower() for w in words)), found[0])
        CriterionPassage.objects.create(plan=plan, criterion=criterion, section=section_key, text=text, linked_by=manager)
