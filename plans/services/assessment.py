"""Writes for the case-study assessment: the manager's passage links and assessor
assignments, and the assessor's feedback on an approved revision (saved as a draft, then
issued, after which nothing about it can change).

Who may do what is decided here, not in the views: only the home's manager links passages
and assigns assessors; only a viewer assigned to the plan records feedback, and only on a
revision that was approved. Every change is on the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from oakview.core.access import WRITE_ROLES, role_in
from oakview.core.audit import audit_record
from oakview.core.models import Membership, Role, User
from plans.access import is_assigned_assessor
from plans.assessment.criteria import CRITERIA, CRITERIA_VERSION, CRITERION_BY_KEY, PROSE_KEYS
from plans.assessment.passages import normalise, paragraphs
from plans.models import Assessment, AssessorAssignment, CriterionJudgement, CriterionPassage, Plan, PlanRevision
from plans.snapshot.sections import SECTION_BY_KEY

from .guards import locked_plan

ASSESSABLE = (PlanRevision.Status.APPROVED, PlanRevision.Status.SUPERSEDED)


class AssessmentClosed(Exception):
    """The feedback has been issued: it is a record now."""


def _require_manager(plan: Plan, by: User) -> None:
    if role_in(by, plan.home_id) not in WRITE_ROLES:
        raise PermissionDenied("Only the home's manager can do this.")


# --- Passages linked to criteria ------------------------------------------------------------


@transaction.atomic
def passage_link(*, plan_id: int, by: User, criterion: str, section: str, text: str) -> CriterionPassage:
    plan = locked_plan(plan_id)
    _require_manager(plan, by)
    if criterion not in PROSE_KEYS:
        raise ValidationError({"passage": "Only a criterion that the written answer must meet can be linked to a passage."})
    sec = SECTION_BY_KEY.get(section)
    wanted = normalise(text)
    if sec is None or wanted not in paragraphs(plan.narrative(sec)):
        raise ValidationError({"passage": "Choose a paragraph of one of the answers as it now reads."})
    existing = CriterionPassage.objects.filter(plan=plan, criterion=criterion, section=section, text=wanted).first()
    if existing is not None:
        return existing
    passage = CriterionPassage.objects.create(plan=plan, criterion=criterion, section=section, text=wanted, linked_by=by)
    audit_record(
        home_id=plan.home_id,
        actor=by,
        action="criterion_passage_linked",
        summary=f"Linked a passage of {sec.number} {sec.title} to “{CRITERION_BY_KEY[criterion].title}”",
        target=plan,
        detail={"criterion": criterion, "section": section, "passage": passage.pk},
    )
    return passage


@transaction.atomic
def passage_unlink(*, plan_id: int, by: User, passage_id: int) -> None:
    plan = locked_plan(plan_id)
    _require_manager(plan, by)
    passage = CriterionPassage.objects.filter(plan=plan, pk=passage_id).first()
    if passage is None:
        return  # already gone: unlinking twice is harmless
    criterion = CRITERION_BY_KEY.get(passage.criterion)
    passage.delete()
    audit_record(
        home_id=plan.home_id,
        actor=by,
        action="criterion_passage_unlinked",
        summary=f"Unlinked a passage from “{criterion.title if criterion else passage.criterion}”",
        target=plan,
        detail={"criterion": passage.criterion, "section": passage.section},
    )


# --- Assessors --------------------------------------------------------------------------------


def assessor_candidates(plan: Plan) -> list[User]:
    """The home's viewers (assessors, auditors, inspectors): the people who may be assigned."""
    ids = Membership.objects.filter(home_id=plan.home_id, role=Role.VIEWER).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "username"))


@transaction.atomic
def assessor_assign(*, plan_id: int, by: User, assessor: User) -> AssessorAssignment:
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    _require_manager(plan, by)
    if role_in(assessor, plan.home_id) != Role.VIEWER:
        raise ValidationError({"assessor": "Only a viewer of this home (an assessor) can be asked to assess the plan."})
    assignment, created = AssessorAssignment.objects.get_or_create(plan=plan, assessor=assessor, defaults={"assigned_by": by})
    if created:
        audit_record(
            home_id=plan.home_id,
            actor=by,
            action="assessor_assigned",
            summary=f"Asked {assessor.display_name} to assess the plan",
            target=plan,
            detail={"assessor": assessor.pk},
        )
    return assignment


@transaction.atomic
def assessor_unassign(*, plan_id: int, by: User, assessor_id: int) -> None:
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    _require_manager(plan, by)
    assignment = AssessorAssignment.objects.filter(plan=plan, assessor_id=assessor_id).select_related("assessor").first()
    if assignment is None:
        return
    name = assignment.assessor.display_name
    assignment.delete()
    # Feedback already issued stays: it is the learner's record. A draft goes with the assignment.
    for draft in Assessment.objects.filter(plan=plan, assessor_id=assessor_id, issued_at__isnull=True):
        draft.delete()
    audit_record(
        home_id=plan.home_id,
        actor=by,
        action="assessor_unassigned",
        summary=f"{name} no longer assesses the plan",
        target=plan,
        detail={"assessor": assessor_id},
    )


# --- Feedback -------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgementInput:
    criterion: str
    judgement: str  # "" (not judged yet, drafts only), "met" or "not_yet_met"
    feedback: str


def _assessment_for(plan: Plan, revision: PlanRevision, by: User) -> Assessment:
    if not is_assigned_assessor(by, plan):
        raise PermissionDenied("Only an assessor assigned to this plan can record feedback on it.")
    if revision.plan_id != plan.pk or revision.status not in ASSESSABLE:
        raise PermissionDenied("Feedback is recorded against an approved revision.")
    assessment, _ = Assessment.objects.select_for_update().get_or_create(
        revision=revision, assessor=by, defaults={"plan": plan, "criteria_version": CRITERIA_VERSION}
    )
    if assessment.is_issued:
        raise AssessmentClosed("This feedback has been issued, so it can no longer change.")
    return assessment


@transaction.atomic
def assessment_save(
    *, plan_id: int, revision_number: int, by: User, judgements: list[JudgementInput], feedback: str, outcome: str, issue: bool
) -> Assessment:
    """Save the assessor's draft, or issue it (every criterion judged, an overall outcome)."""
    plan = Plan.objects.select_for_update().select_related("home").get(pk=plan_id)
    revision = PlanRevision.objects.filter(plan=plan, number=revision_number).first()
    if revision is None:
        raise PermissionDenied("No such revision.")
    assessment = _assessment_for(plan, revision, by)
    given = {j.criterion: j for j in judgements if j.criterion in CRITERION_BY_KEY}
    errors: dict[str, str] = {}
    if issue:
        unjudged = [c.title for c in CRITERIA if not given.get(c.key) or not given[c.key].judgement]
        if unjudged:
            errors["__all__"] = (
                f"Judge every criterion before issuing: {len(unjudged)} still to judge, starting with “{unjudged[0]}”."
            )
        if outcome not in Assessment.Outcome.values:
            errors["outcome"] = "Choose the overall outcome before issuing."
        not_met = [k for k, j in given.items() if j.judgement == CriterionJudgement.Judgement.NOT_YET_MET]
        if outcome == Assessment.Outcome.MET and not_met:
            errors["outcome"] = "The outcome cannot be “all criteria met” while a criterion is judged not yet met."
        for key in not_met:
            if not given[key].feedback.strip():
                errors[f"feedback_{key}"] = "Say what is missing, so the learner knows what to add."
    if errors:
        raise ValidationError(errors)
    assessment.judgements.all().delete()
    CriterionJudgement.objects.bulk_create(
        CriterionJudgement(assessment=assessment, criterion=key, judgement=j.judgement, feedback=j.feedback.strip())
        for key, j in given.items()
        if j.judgement
    )
    assessment.feedback = feedback.strip()
    assessment.outcome = outcome if outcome in Assessment.Outcome.values else ""
    assessment.criteria_version = CRITERIA_VERSION
    if issue:
        assessment.issued_at = timezone.now()
    assessment.save()
    if issue:
        audit_record(
            home_id=plan.home_id,
            actor=by,
            action="assessment_issued",
            summary=f"{by.display_name} issued feedback on revision {revision.number}: {assessment.get_outcome_display()}",
            target=plan,  # on the plan's own history, beside its transitions
            detail={
                "assessment": assessment.pk,
                "revision": revision.number,
                "outcome": assessment.outcome,
                "not_yet_met": sorted(k for k, j in given.items() if j.judgement == CriterionJudgement.Judgement.NOT_YET_MET),
            },
        )
    return assessment
