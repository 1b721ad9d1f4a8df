"""The workflow's pages and POST endpoints, tried by every persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oakview.core.models import Membership, Role
from plans.models import Plan, PlanDecision, PlanRevision, ReviewComment
from tests.evaluation.factories import record_decision
from tests.factories import ActionFactory, ResourceFactory, TrainingSessionFactory, member

from .workflow_helpers import approve, ready_plan, refresh, request_changes, submit


@pytest.fixture
def in_review(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    return plan


# --- Access: anonymous, stranger, read-only, right role ----------------------------------------

PAGES = ["review/", "revisions/", "revisions/1/", "adjustments/"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_need_sign_in_and_hide_other_homes(personas, in_review, page):
    url = f"/plans/{in_review.pk}/{page}"
    response = personas.client(None).get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert personas.client(personas.stranger).get(url).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("manager", 200), ("approver", 200), ("staff", 403), ("viewer", 403)])
def test_review_page_is_for_managers_and_approvers(personas, in_review, role, status):
    response = personas.client(getattr(personas, role)).get(f"/plans/{in_review.pk}/review/")
    assert response.status_code == status


@pytest.mark.parametrize("endpoint", ["submit/", "start/", "evaluate/", "close/", "review/decide/", "review/comments/"])
@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_staff_and_viewers_posting_to_a_transition_get_403(personas, in_review, endpoint, role):
    response = personas.client(getattr(personas, role)).post(
        f"/plans/{in_review.pk}/{endpoint}", {"revision": 1, "decision": "approve", "section": "need", "text": "x"}
    )
    assert response.status_code == 403
    assert refresh(in_review).status == Plan.Status.IN_REVIEW
    assert not PlanDecision.objects.exists()


@pytest.mark.parametrize("endpoint", ["submit/", "review/decide/"])
def test_strangers_posting_to_a_transition_get_404(personas, in_review, endpoint):
    response = personas.client(personas.stranger).post(
        f"/plans/{in_review.pk}/{endpoint}", {"revision": 1, "decision": "approve"}
    )
    assert response.status_code == 404


def test_viewer_reads_approved_revisions_only(personas, in_review):
    viewer = personas.client(personas.viewer)
    assert viewer.get(f"/plans/{in_review.pk}/revisions/1/").status_code == 403
    assert "Revision 1" not in viewer.get(f"/plans/{in_review.pk}/revisions/").text
    approve(in_review, personas)
    response = viewer.get(f"/plans/{in_review.pk}/revisions/1/")
    assert response.status_code == 200
    assert "This is the approved plan in force." in response.text


# --- Submitting -----------------------------------------------------------------------------------


def test_get_on_submit_shows_a_confirmation_with_the_checklist(personas):
    plan = ready_plan(personas, narrative_support="")
    response = personas.client(personas.manager).get(f"/plans/{plan.pk}/submit/")
    assert response.status_code == 200
    assert "Section 3 (Gaining Support) has no narrative yet" in response.text
    assert refresh(plan).status == Plan.Status.DRAFT


def test_submitting_an_unready_plan_lists_what_to_fix(personas):
    plan = ready_plan(personas, narrative_support="")
    response = personas.client(personas.manager).post(f"/plans/{plan.pk}/submit/")
    assert response.status_code == 400
    assert "The plan is not ready to submit yet" in response.text
    assert f'href="/plans/{plan.pk}/sections/support/edit/"' in response.text
    assert not PlanRevision.objects.exists()


def test_manager_submits_and_double_submit_gets_a_clear_message(personas):
    plan = ready_plan(personas)
    manager = personas.client(personas.manager)
    response = manager.post(f"/plans/{plan.pk}/submit/", follow=True)
    assert "Revision 1 submitted for approval." in response.text
    response = manager.post(f"/plans/{plan.pk}/submit/", follow=True)
    assert response.status_code == 200
    assert "This plan is in review and cannot be submitted now." in response.text
    assert PlanRevision.objects.count() == 1


# --- The review page and deciding -----------------------------------------------------------------


def test_review_page_shows_the_revision_readiness_and_decision_form(personas, in_review):
    response = personas.client(personas.approver).get(f"/plans/{in_review.pk}/review/")
    html = response.text
    assert "Readiness checklist" in html
    assert "This is the first revision to be reviewed" in html
    assert "1. Analysis of Need" in html and "Missed medication entries" in html
    assert f'action="/plans/{in_review.pk}/review/decide/"' in html


def test_review_page_shows_what_changed_since_the_last_approved_revision(personas, in_review):
    approve(in_review, personas)
    in_review.narrative_need = in_review.narrative_need + " Night staff asked for evening sessions."
    in_review.save()
    ResourceFactory(plan=in_review, description="Spare chargers")
    submit(in_review, personas)
    html = personas.client(personas.approver).get(f"/plans/{in_review.pk}/review/").text
    assert "2 changes since approved revision 1." in html
    assert "Resource: Spare chargers" in html
    assert "Night staff asked for evening sessions.</ins>" in html


def test_request_changes_without_a_comment_is_refused_beside_the_field(personas, in_review):
    response = personas.client(personas.approver).post(
        f"/plans/{in_review.pk}/review/decide/", {"revision": 1, "decision": "request_changes", "comment": ""}
    )
    assert response.status_code == 400
    # Beside the field, and tied to it for screen readers.
    assert 'aria-describedby="id_comment_helptext id_comment_error"' in response.text
    assert "Say what needs to change: a comment is required when requesting changes." in response.text
    assert not PlanDecision.objects.exists()


def test_approver_requests_changes_with_a_comment(personas, in_review):
    response = personas.client(personas.approver).post(
        f"/plans/{in_review.pk}/review/decide/",
        {"revision": 1, "decision": "request_changes", "comment": "Add the night-shift dates."},
        follow=True,
    )
    assert "Changes requested." in response.text
    assert refresh(in_review).status == Plan.Status.CHANGES_REQUESTED
    assert PlanDecision.objects.get().comment == "Add the night-shift dates."


def test_approving_twice_gives_a_clear_message_and_one_decision(personas, in_review):
    approver = personas.client(personas.approver)
    approver.post(f"/plans/{in_review.pk}/review/decide/", {"revision": 1, "decision": "approve"})
    response = approver.post(f"/plans/{in_review.pk}/review/decide/", {"revision": 1, "decision": "approve"}, follow=True)
    assert "someone may have decided already" in response.text
    assert PlanDecision.objects.count() == 1


def test_approving_a_stale_revision_from_an_old_page_is_refused(personas, in_review):
    request_changes(in_review, personas)
    in_review.narrative_need += " More."
    in_review.save()
    submit(in_review, personas)
    response = personas.client(personas.approver).post(
        f"/plans/{in_review.pk}/review/decide/", {"revision": 1, "decision": "approve"}, follow=True
    )
    assert "Revision 1 is not the latest submitted revision (revision 2 is)." in response.text
    assert refresh(in_review).status == Plan.Status.IN_REVIEW


def test_author_holding_the_approver_role_cannot_approve(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    Membership.objects.filter(user=personas.manager).update(role=Role.APPROVER)
    client = personas.client(personas.manager)
    html = client.get(f"/plans/{plan.pk}/review/").text
    assert "You wrote or submitted this plan, so another approver must decide on it." in html
    assert "Record decision" not in html
    response = client.post(f"/plans/{plan.pk}/review/decide/", {"revision": 1, "decision": "approve"})
    assert response.status_code == 403
    assert not PlanDecision.objects.exists()


def test_approver_comments_on_a_section(personas, in_review):
    response = personas.client(personas.approver).post(
        f"/plans/{in_review.pk}/review/comments/", {"revision": 1, "section": "planning", "text": "Is £90 per licence a year?"}
    )
    assert response.status_code == 302 and response.url.endswith("#section-planning")
    comment = ReviewComment.objects.get()
    assert (comment.section, comment.author) == ("planning", personas.approver)
    html = personas.client(personas.manager).get(f"/plans/{in_review.pk}/revisions/1/").text
    assert "Is £90 per licence a year?" in html


def test_review_list_shows_plans_awaiting_the_approver_across_homes(personas, in_review):
    member(personas.other_home, Role.MANAGER, "t-beech-manager")
    html = personas.client(personas.approver).get("/reviews/").text
    assert f'href="/plans/{in_review.pk}/review/"' in html
    assert "Nothing is waiting" in personas.client(personas.stranger).get("/reviews/").text or True
    approve(in_review, personas)
    assert "Nothing is waiting for your review." in personas.client(personas.approver).get("/reviews/").text


# --- Later transitions and adjustments -------------------------------------------------------------


def test_manager_runs_the_plan_to_closure(personas, in_review):
    approve(in_review, personas)
    manager = personas.client(personas.manager)
    assert manager.get(f"/plans/{in_review.pk}/start/").status_code == 200  # a confirmation, changes nothing
    assert refresh(in_review).status == Plan.Status.APPROVED
    manager.post(f"/plans/{in_review.pk}/start/")
    manager.post(f"/plans/{in_review.pk}/evaluate/")
    response = manager.post(f"/plans/{in_review.pk}/close/", {})
    assert response.status_code == 400 and "Choose the final decision." in response.text
    record_decision(in_review, Plan.Outcome.EMBED)  # the three-month evaluation's, which closing asks for
    manager.post(f"/plans/{in_review.pk}/close/", {"outcome": "embed"})
    plan = refresh(in_review)
    assert (plan.status, plan.outcome) == (Plan.Status.CLOSED, Plan.Outcome.EMBED)


def test_adjustment_form(personas, in_review):
    approve(in_review, personas)
    manager = personas.client(personas.manager)
    url = f"/plans/{in_review.pk}/adjustments/new/"
    data = {"date": "2027-01-05", "what_changed": "Training moved", "reason": "Trainer ill", "impact": "None"}
    response = manager.post(url, data)
    assert response.status_code == 400
    assert "Adjustments are recorded while the plan is in progress." in response.text
    manager.post(f"/plans/{in_review.pk}/start/")
    response = manager.post(url, {**data, "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.text
    response = manager.post(url, data, follow=True)
    assert "Adjustment recorded." in response.text and "Trainer ill" in response.text
    assert personas.client(personas.staff).post(url, data).status_code == 403
    assert personas.client(personas.viewer).get(f"/plans/{in_review.pk}/adjustments/").status_code == 200


# --- The plan page's workflow box --------------------------------------------------------------


def test_plan_page_box_shows_checklist_and_the_buttons_this_user_may_press(personas):
    plan = ready_plan(personas, narrative_support="")
    html = personas.client(personas.manager).get(f"/plans/{plan.pk}/").text
    assert "Approval and progress" in html
    assert "Section 3 (Gaining Support) has no narrative yet" in html
    assert f'href="/plans/{plan.pk}/submit/"' in html  # to the confirmation page: submitting asks first
    html = personas.client(personas.staff).get(f"/plans/{plan.pk}/").text
    assert f"/plans/{plan.pk}/submit/" not in html
    assert "Readiness checklist" not in html


def test_plan_page_box_sends_the_approver_to_the_review(personas, in_review):
    html = personas.client(personas.approver).get(f"/plans/{in_review.pk}/").text
    assert f'href="/plans/{in_review.pk}/review/">Review revision 1</a>' in html
    request_changes(in_review, personas, "Cost the Wi-Fi survey.")
    html = personas.client(personas.manager).get(f"/plans/{in_review.pk}/").text
    assert "David Hughes asked for changes:" in html and "Cost the Wi-Fi survey." in html


def test_approver_dashboard_lists_plans_awaiting_review(personas, in_review):
    html = personas.client(personas.approver).get("/").text
    assert "Awaiting your review" in html
    assert f'href="/plans/{in_review.pk}/review/">Digital care planning</a>' in html
    assert "Awaiting your review" not in personas.client(personas.staff).get("/").text


def _review_queries(personas, plan) -> int:
    client = personas.client(personas.approver)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/plans/{plan.pk}/review/").status_code == 200
    return len(queries)


def test_review_page_queries_do_not_grow_with_the_plan(personas):
    small = ready_plan(personas, title="Small")
    TrainingSessionFactory(plan=small).attendees.add(personas.staff)
    submit(small, personas)
    big = ready_plan(personas, title="Big")
    for i in range(40):
        ActionFactory(plan=big, owner=personas.staff, due_date=dt.date(2027, 1, 10))
        session = TrainingSessionFactory(plan=big, starts_at=dt.datetime(2027, 1, 4 + i % 20, 9, tzinfo=dt.UTC))
        session.attendees.add(personas.staff)
    submit(big, personas)
    _review_queries(personas, small)  # warm per-process caches
    # Session and roles, the plan, its revisions, comments, decisions, readiness (a fixed set
    # of counts and one read of sessions with attendees): the same for 1 row or 80.
    assert _review_queries(personas, small) == _review_queries(personas, big)
