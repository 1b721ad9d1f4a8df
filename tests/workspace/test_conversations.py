"""Review comments as conversations: on the section page, with replies, resolve and reopen;
open ones listed on the overview and carried to the next review."""

from __future__ import annotations

import pytest

from plans.models import CommentReply, ReviewComment
from plans.services import workflow
from tests.plans.workflow_helpers import ready_plan, request_changes, submit


@pytest.fixture
def sent_back(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    workflow.review_comment_add(
        plan_id=plan.pk, revision_number=1, by=personas.approver, section="planning", text="How will nights be covered?"
    )
    request_changes(plan, personas)
    return plan


def test_the_manager_sees_the_comment_where_the_text_is_edited_and_replies(personas, sent_back):
    manager = personas.client(personas.manager)
    page = manager.get(f"/plans/{sent_back.pk}/sections/planning/").text
    assert "Review comments on this section" in page and "How will nights be covered?" in page
    comment = ReviewComment.objects.get()
    url = f"/plans/{sent_back.pk}/comments/{comment.pk}/reply/"
    response = manager.post(url, {"text": "Bank staff from 20:00.", "next": f"/plans/{sent_back.pk}/sections/planning/"})
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{sent_back.pk}/sections/planning/#comment-{comment.pk}"
    assert CommentReply.objects.get().text == "Bank staff from 20:00."
    # An empty reply is refused with a message, and nothing is saved.
    response = manager.post(url, {"text": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Write the reply." in response.text
    assert CommentReply.objects.count() == 1


def test_open_comments_are_listed_on_the_overview_until_resolved(personas, sent_back):
    manager = personas.client(personas.manager)
    comment = ReviewComment.objects.get()
    overview = manager.get(f"/plans/{sent_back.pk}/").text
    assert "Unresolved review comments (1)" in overview and "not answered yet" in overview
    assert f'/plans/{sent_back.pk}/sections/planning/#comment-{comment.pk}"' in overview
    response = manager.post(
        f"/plans/{sent_back.pk}/comments/{comment.pk}/resolve/", {"resolved": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Resolved by Sarah Okafor" in response.text and "Reopen" in response.text
    assert "Unresolved review comments" not in manager.get(f"/plans/{sent_back.pk}/").text
    approver = personas.client(personas.approver)
    response = approver.post(f"/plans/{sent_back.pk}/comments/{comment.pk}/resolve/", {"resolved": "0"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_an_open_comment_follows_the_plan_to_its_next_review(personas, sent_back):
    sent_back.narrative_planning += " Night staff train at 20:00."
    sent_back.save()
    submit(sent_back, personas)
    html = personas.client(personas.approver).get(f"/plans/{sent_back.pk}/review/").text
    planning = html[html.index('id="section-planning"') : html.index('id="section-support"')]
    assert "How will nights be covered?" in planning and "on revision 1" in planning
    assert 'class="badge comment-open"' in planning


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_only_the_manager_and_approvers_take_part(personas, sent_back, who):
    comment = ReviewComment.objects.get()
    client = personas.client(getattr(personas, who))
    assert client.post(f"/plans/{sent_back.pk}/comments/{comment.pk}/reply/", {"text": "Me too"}).status_code == 403
    assert client.post(f"/plans/{sent_back.pk}/comments/{comment.pk}/resolve/", {"resolved": "1"}).status_code == 403
    stranger = personas.client(personas.stranger)
    assert stranger.post(f"/plans/{sent_back.pk}/comments/{comment.pk}/reply/", {"text": "x"}).status_code == 404
    assert not CommentReply.objects.exists()
