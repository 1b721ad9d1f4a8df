"""The assessor's issued feedback as people read it: on the plan overview and each section's
panel for the manager, on the feedback page and its PDF, and, for a resubmission, what has
changed since the assessed revision and which criteria were not yet met there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plans.models import Assessment, CriterionJudgement, Plan, PlanRevision
from plans.parts import Change, Panel
from plans.snapshot.diff import diff_snapshots
from plans.snapshot.sections import SECTIONS

from .check import CriteriaCheck, check_snapshot
from .criteria import CRITERIA, CRITERION_BY_KEY, Criterion, jurisdiction_for


@dataclass(frozen=True)
class JudgementLine:
    criterion: Criterion | None
    key: str
    title: str
    text: str
    met: bool
    judgement: str  # its label: "Met" / "Not yet met"
    feedback: str
    now: str = ""  # the live check's status label today, for the manager ("" when not shown)

    @property
    def section(self) -> int:
        return self.criterion.section if self.criterion else 0


def issued(plan: Plan) -> list[Assessment]:
    return list(
        Assessment.objects.issued()
        .filter(plan=plan)
        .select_related("assessor", "revision")
        .prefetch_related("judgements")
        .order_by("-issued_at", "-id")
    )


def lines(assessment: Assessment, check: CriteriaCheck | None = None) -> list[JudgementLine]:
    """Every judgement, in criteria order (a key since retired still reads, at the end)."""
    jurisdiction = jurisdiction_for(((assessment.revision.snapshot.get("plan") or {}).get("home") or {}).get("regulator"))
    order = {c.key: i for i, c in enumerate(CRITERIA)}
    found = []
    for j in sorted(assessment.judgements.all(), key=lambda j: (order.get(j.criterion, len(order)), j.pk)):
        criterion = CRITERION_BY_KEY.get(j.criterion)
        live = check.result(j.criterion) if check else None
        found.append(
            JudgementLine(
                criterion=criterion,
                key=j.criterion,
                title=criterion.title if criterion else j.criterion,
                text=criterion.reads(jurisdiction) if criterion else "",
                met=j.judgement == CriterionJudgement.Judgement.MET,
                judgement=j.get_judgement_display(),
                feedback=j.feedback,
                now=live.status_label if live else "",
            )
        )
    return found


def not_yet_met(assessment: Assessment) -> list[JudgementLine]:
    return [line for line in lines(assessment) if not line.met]


@dataclass(frozen=True)
class Resubmission:
    """A later revision than the one last assessed: what changed, and what was not yet met."""

    assessed: Assessment
    changes: list[Change]
    not_yet_met: list[JudgementLine]


def resubmission(revision: PlanRevision, assessor_id: int | None = None) -> Resubmission | None:
    earlier = Assessment.objects.issued().filter(plan_id=revision.plan_id, revision__number__lt=revision.number)
    if assessor_id is not None:
        earlier = earlier.filter(assessor_id=assessor_id)
    last = (
        earlier.select_related("revision", "assessor").prefetch_related("judgements").order_by("-revision__number", "-id").first()
    )
    if last is None:
        return None
    return Resubmission(last, diff_snapshots(last.revision.snapshot, revision.snapshot), not_yet_met(last))


def plan_panels(plan: Plan, check: CriteriaCheck) -> list[Panel]:
    """For the manager: the latest issued feedback on the overview, and under each question
    the judgements on its criteria, with how each stands in the live plan now."""
    found = issued(plan)
    if not found:
        return []
    latest = found[0]
    judged = lines(latest, check)
    newer = plan.revisions.filter(number__gt=latest.revision.number).order_by("-number").first()
    context = {"plan": plan, "assessment": latest, "lines": judged, "earlier": found[1:], "newer": newer}
    panels = [Panel("plans/assessment/_feedback_panel.html", context, slot="overview", order=45)]
    for section in SECTIONS:
        mine = [line for line in judged if line.section == section.number]
        if mine:
            panels.append(
                Panel(
                    "plans/assessment/_feedback_section_panel.html",
                    {"plan": plan, "assessment": latest, "lines": mine, "section": section},
                    slot=section.key,
                    order=5,
                )
            )
    return panels


def report_context(assessment: Assessment) -> dict[str, Any]:
    """What the feedback page and the feedback report PDF show, from the assessed revision."""
    snap = assessment.revision.snapshot
    plan = snap.get("plan") or {}
    judged = lines(assessment)
    return {
        "assessment": assessment,
        "plan_title": plan.get("title", ""),
        "home": plan.get("home") or {},
        "author": (plan.get("author") or {}).get("name", ""),
        "lines": judged,
        "not_yet_met": [line for line in judged if not line.met],
        "met_count": sum(1 for line in judged if line.met),
        "check": check_snapshot(snap),
    }
