"""The assessor's feedback loop: per-plan assignment by the manager, feedback on an approved
revision (draft, then issued and immutable), what the manager sees, the resubmission's
changes, the feedback report PDF, and who may do any of it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.db import IntegrityError, InternalError, transaction

from oakview.core.models import AuditEvent, Membership, Role
from plans.assessment.criteria import CRITERIA
from plans.models import Assessment, AssessorAssignment, CriterionJudgement, ImmutableAssessment, PlanRevision
from plans.parts import build_snapshot
from plans.services import assessment as services
from tests.factories import member

from .pdf_fixtures import approved_revision

NOT_MET = ("q4.go_live_risks", "q5.measures")


@pytest.fixture
def revision(personas):
    return approved_revision(personas)


@pytest.fixture
def assigned(personas, revision):
    services.assessor_assign(plan_id=revision.plan_id, by=personas.manager, assessor=personas.viewer)
    return revision


def judgements_post(not_met=NOT_MET, *, issue: bool, outcome: str = "not_yet_met") -> dict[str, str]:
    data = {"issue": "1" if issue else "0", "feedback": "A clear plan; two gaps.", "outcome": outcome}
    for c in CRITERIA:
        data[f"judgement_{c.key}"] = "not_yet_met" if c.key in not_met else "met"
        data[f"feedback_{c.key}"] = f"Add what is missing for {c.title}." if c.key in not_met else ""
    return data


def assess_url(revision) -> str:
    return f"/plans/{revision.plan_id}/revisions/{revision.number}/assess/"


def issue(personas, revision, **kwargs) -> Assessment:
    response = personas.client(personas.viewer).post(assess_url(revision), judgements_post(issue=True, **kwargs))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Assessment.objects.get(revision=revision, assessor=personas.viewer)


# --- Assignment -------------------------------------------------------------------------------


def test_manager_assigns_a_viewer_and_it_is_on_the_audit_trail(personas, revision):
    c = personas.client(personas.manager)
    page = c.get(f"/plans/{revision.plan_id}/assessors/")
    assert page.status_code == 200 and "Helen Price" in page.content.decode()
    response = c.post(f"/plans/{revision.plan_id}/assessors/", {"assessor": personas.viewer.pk})
    assert response.status_code == 302
    assert AssessorAssignment.objects.filter(plan_id=revision.plan_id, assessor=personas.viewer).exists()
    assert AuditEvent.objects.filter(action="assessor_assigned", detail__assessor=personas.viewer.pk).exists()


def test_only_a_viewer_of_the_home_can_be_assigned(personas, revision):
    response = personas.client(personas.manager).post(f"/plans/{revision.plan_id}/assessors/", {"assessor": personas.staff.pk})
    assert response.status_code == 400
    assert "Choose one of the home" in response.content.decode()
    assert not AssessorAssignment.objects.exists()


@pytest.mark.parametrize(("who", "expected"), [("approver", 403), ("viewer", 403), ("staff", 403), ("stranger", 404)])
def test_only_the_manager_assigns_assessors(personas, revision, who, expected):
    c = personas.client(getattr(personas, who))
    assert c.get(f"/plans/{revision.plan_id}/assessors/").status_code == expected
    assert c.post(f"/plans/{revision.plan_id}/assessors/", {"assessor": personas.viewer.pk}).status_code == expected
    assert not AssessorAssignment.objects.exists()


# --- Who may assess ---------------------------------------------------------------------------------


def test_an_assigned_viewer_assesses_and_finds_the_plan_from_the_dashboard(personas, assigned):
    c = personas.client(personas.viewer)
    listing = c.get("/assessments/").content.decode()
    assert "Digital care records" in listing and f"assess revision {assigned.number}" in listing
    assert "Plans to assess" in c.get("/").content.decode()
    revision_page = c.get(f"/plans/{assigned.plan_id}/revisions/{assigned.number}/").content.decode()
    assert "Assess this revision" in revision_page
    page = c.get(assess_url(assigned))
    assert page.status_code == 200
    assert "Two go-live week risks with contingencies" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"), [("manager", 403), ("approver", 403), ("staff", 403), ("viewer", 403), ("stranger", 404)]
)
def test_no_one_but_the_assigned_assessor_may_assess(personas, revision, who, expected):
    # The viewer here is in the home but not assigned to this plan.
    c = personas.client(getattr(personas, who))
    assert c.get(assess_url(revision)).status_code == expected
    assert c.post(assess_url(revision), judgements_post(issue=True)).status_code == expected
    assert not Assessment.objects.exists()


def test_an_assessor_of_one_plan_cannot_assess_another(personas, assigned):
    other = approved_revision(personas, title="Another plan")
    assert personas.client(personas.viewer).get(assess_url(other)).status_code == 403


def test_anonymous_is_sent_to_sign_in(personas, assigned):
    response = personas.client(None).get(assess_url(assigned))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_revision_not_yet_approved_cannot_be_assessed(personas, assigned):
    PlanRevision.objects.filter(pk=assigned.pk).update(status="submitted")
    assert personas.client(personas.viewer).get(assess_url(assigned)).status_code == 403


def test_the_assessor_never_edits_the_plan(personas, assigned):
    c = personas.client(personas.viewer)
    plan_id = assigned.plan_id
    assert c.post(f"/plans/{plan_id}/edit/", {"title": "Hijacked"}).status_code == 403
    assert c.post(f"/plans/{plan_id}/sections/need/edit/", {"narrative_need": "x"}).status_code == 403
    assert c.post(f"/plans/{plan_id}/driver/new/", {"kind": "safety", "description": "x"}).status_code == 403
    assert c.get(f"/plans/{plan_id}/criteria/sub.depth/link/").status_code == 403
    assigned.plan.refresh_from_db()
    assert assigned.plan.title == "Digital care records"


# --- Drafts, issuing, immutability ------------------------------------------------------------------


def test_a_draft_is_the_assessors_alone_until_issued(personas, assigned):
    c = personas.client(personas.viewer)
    assert c.post(assess_url(assigned), judgements_post(issue=False)).status_code == 302
    draft = Assessment.objects.get()
    assert not draft.is_issued and draft.judgements.count() == len(CRITERIA)
    overview = personas.client(personas.manager).get(f"/plans/{assigned.plan_id}/").content.decode()
    assert "Assessor's feedback" not in overview
    assert personas.client(personas.manager).get(f"/plans/{assigned.plan_id}/assessments/{draft.pk}/").status_code == 404
    # The draft comes back into the form.
    form = c.get(assess_url(assigned)).context["form"]
    assert form.initial["judgement_q4.go_live_risks"] == "not_yet_met"


def test_issuing_needs_every_criterion_judged_and_feedback_where_not_met(personas, assigned):
    c = personas.client(personas.viewer)
    data = judgements_post(issue=True)
    del data["judgement_sub.font"]
    data["feedback_q5.measures"] = ""
    response = c.post(assess_url(assigned), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Judge every criterion before issuing" in page
    assert "Say what is missing" in page
    data = judgements_post(issue=True, outcome="met")
    response = c.post(assess_url(assigned), data)
    assert response.status_code == 400
    assert "cannot be “all criteria met” while a criterion is judged not yet met" in response.content.decode()
    assert not Assessment.objects.issued().exists()


def test_issued_feedback_reaches_the_manager_on_the_overview_and_section_panels(personas, assigned):
    assessment = issue(personas, assigned)
    assert assessment.outcome == "not_yet_met" and assessment.criteria_version
    event = AuditEvent.objects.get(action="assessment_issued")
    assert event.detail["not_yet_met"] == sorted(NOT_MET) and event.actor == personas.viewer
    history = personas.client(personas.manager).get(f"/plans/{assigned.plan_id}/history/").content.decode()
    assert "Helen Price issued feedback on revision 1: Not yet met: resubmission needed" in history
    page = personas.client(personas.manager).get(f"/plans/{assigned.plan_id}/").content.decode()
    assert "Assessor's feedback on revision 1" in page
    assert "Not yet met" in page and "Add what is missing for Two go-live week risks with contingencies." in page
    section = personas.client(personas.manager).get(f"/plans/{assigned.plan_id}/sections/implementation/").content.decode()
    assert "Assessor's feedback on question 4 (revision 1)" in section  # on question 4's own page
    detail = personas.client(personas.manager).get(f"/plans/{assigned.plan_id}/assessments/{assessment.pk}/")
    assert detail.status_code == 200 and "A clear plan; two gaps." in detail.content.decode()


def test_issued_feedback_cannot_change_through_the_page_the_model_or_the_database(personas, assigned):
    assessment = issue(personas, assigned)
    c = personas.client(personas.viewer)
    response = c.post(assess_url(assigned), judgements_post((), issue=True, outcome="met"))
    assert response.status_code == 302 and response["Location"].endswith(f"/assessments/{assessment.pk}/")
    assessment.refresh_from_db()
    assert assessment.outcome == "not_yet_met"
    assessment.outcome = "met"
    with pytest.raises(ImmutableAssessment):
        assessment.save()
    with pytest.raises(ImmutableAssessment):
        assessment.delete()
    judgement = assessment.judgements.first()
    judgement.feedback = "Rewritten"
    with pytest.raises(ImmutableAssessment):
        judgement.save()
    for attempt in (
        lambda: Assessment.objects.filter(pk=assessment.pk).update(outcome="met"),
        lambda: CriterionJudgement.objects.filter(assessment=assessment).update(judgement="met"),
        lambda: CriterionJudgement.objects.bulk_create(
            [CriterionJudgement(assessment=assessment, criterion="x", judgement="met")]
        ),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            attempt()
    assert Assessment.objects.get(pk=assessment.pk).outcome == "not_yet_met"
    assert not CriterionJudgement.objects.filter(assessment=assessment, judgement="met", criterion__in=NOT_MET).exists()


def test_removing_the_assessor_keeps_their_issued_feedback(personas, assigned):
    assessment = issue(personas, assigned)
    c = personas.client(personas.manager)
    assert c.post(f"/plans/{assigned.plan_id}/assessors/{personas.viewer.pk}/remove/").status_code == 302
    assert not AssessorAssignment.objects.exists()
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert personas.client(personas.viewer).get(assess_url(assigned)).status_code == 403


# --- The resubmission -----------------------------------------------------------------------------------


def test_a_resubmission_shows_the_changes_since_the_assessed_revision_and_what_was_not_yet_met(personas, assigned):
    issue(personas, assigned)
    plan = assigned.plan
    plan.narrative_implementation = "Two go-live week risks now have contingencies: paper packs and a spare router."
    plan.save()
    PlanRevision.objects.filter(pk=assigned.pk).update(status="superseded")
    second = PlanRevision.objects.create(
        plan=plan, number=2, schema=1, snapshot=build_snapshot(plan), submitted_by=personas.manager, status="approved"
    )
    page = personas.client(personas.viewer).get(assess_url(second)).content.decode()
    assert "since revision 1, which you assessed" in page
    assert "Not yet met in revision 1" in page
    assert "Add what is missing for Two go-live week risks with contingencies." in page
    assert "spare router" in page  # the diff of the narrative


# --- The feedback report -------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_the_feedback_report_pdf_carries_the_outcome_and_each_judgement(personas, assigned):
    assessment = issue(personas, assigned)
    url = f"/plans/{assigned.plan_id}/assessments/{assessment.pk}/feedback.pdf"
    response = personas.client(personas.manager).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    assert "Assessment feedback" in text and "Not yet met: resubmission needed" in text
    assert "Helen Price" in text and "Sarah Okafor" in text
    assert "Add what is missing for A qualitative and a quantitative measure." in text
    assert personas.client(personas.viewer).get(url).status_code == 200
    assert personas.client(personas.approver).get(url).status_code == 200


@pytest.mark.parametrize(("who", "expected"), [("staff", 403), ("stranger", 404), ("other_viewer", 403)])
def test_the_feedback_is_not_for_everyone(personas, assigned, who, expected):
    assessment = issue(personas, assigned)
    user = member(personas.home, Role.VIEWER, "t-viewer2") if who == "other_viewer" else getattr(personas, who)
    c = personas.client(user)
    assert c.get(f"/plans/{assigned.plan_id}/assessments/{assessment.pk}/").status_code == expected
    assert c.get(f"/plans/{assigned.plan_id}/assessments/{assessment.pk}/feedback.pdf").status_code == expected


def test_an_assessor_who_is_no_longer_a_viewer_loses_the_plan(personas, assigned):
    Membership.objects.filter(user=personas.viewer, home=personas.home).update(role=Role.STAFF)
    c = personas.client(personas.viewer)
    assert "Digital care records" not in c.get("/assessments/").content.decode()
    assert c.get(assess_url(assigned)).status_code == 403
