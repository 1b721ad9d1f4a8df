"""Manager submits; approver requests changes with a comment; manager edits and resubmits;
approver sees the diff and approves. In Debian's Chromium, with axe on the review page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plans.models import Plan, PlanDecision
from tests.plans.workflow_helpers import ready_plan

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def approver_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_submit_request_changes_resubmit_and_approve(page, approver_page, live_server, personas):
    plan = ready_plan(personas)
    plan_url = f"{live_server.url}/plans/{plan.pk}/"

    # The manager submits from the plan page's workflow box.
    sign_in(page, live_server, personas.manager.username)
    page.goto(plan_url)
    # The plan page links to the confirmation page: submitting locks the plan, so it asks first.
    page.get_by_role("link", name="Submit for approval").first.click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Revision 1 submitted for approval.")).to_be_visible()

    # The approver finds it in their list and asks for changes, with a comment.
    sign_in(approver_page, live_server, personas.approver.username)
    approver_page.get_by_role("link", name="Awaiting review", exact=True).click()
    approver_page.get_by_role("link", name=plan.title).click()
    expect(approver_page.get_by_role("heading", level=1)).to_have_text(f"Review: {plan.title}")
    violations = serious_axe_violations(approver_page)
    assert violations == [], violations
    approver_page.get_by_label("Request changes").check()
    approver_page.get_by_role("button", name="Record decision").click()
    expect(approver_page.locator("#id_comment_error")).to_have_text(
        "Say what needs to change: a comment is required when requesting changes."
    )
    approver_page.get_by_label("Comment", exact=True).fill("Say how night staff will be trained.")
    approver_page.get_by_label("Request changes").check()
    approver_page.get_by_role("button", name="Record decision").click()
    expect(approver_page.get_by_text("Changes requested. The author has been sent your comment.")).to_be_visible()

    # The manager sees the comment, edits the narrative and resubmits.
    page.goto(plan_url)
    expect(page.locator(".workflow-panel .alert")).to_contain_text("Say how night staff will be trained.")
    page.goto(f"{plan_url}sections/planning/edit/")
    narrative = page.get_by_label(re.compile("Narrative"))
    narrative.fill(narrative.input_value() + "\n\nNight staff train at 20:00 with bank backfill.")
    page.get_by_role("button", name="Save").click()
    page.goto(plan_url)
    page.get_by_role("link", name="Submit for approval").first.click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Revision 2 submitted for approval.")).to_be_visible()

    # The approver sees what changed since the revision they sent back, and approves.
    approver_page.goto(f"{live_server.url}/plans/{plan.pk}/review/")
    changes = approver_page.locator("#changes-title").locator("xpath=..")
    expect(changes).to_contain_text("1 change since revision 1")
    expect(changes.locator("ins")).to_contain_text("Night staff train at 20:00 with bank backfill.")
    violations = serious_axe_violations(approver_page)
    assert violations == [], violations
    approver_page.get_by_label("Approve this revision").check()
    approver_page.get_by_label("Comment", exact=True).fill("Thank you: approved.")
    approver_page.get_by_role("button", name="Record decision").click()
    expect(approver_page.get_by_text("Revision 2 approved.")).to_be_visible()

    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert list(PlanDecision.objects.order_by("pk").values_list("revision__number", "outcome")) == [
        (1, "changes_requested"),
        (2, "approved"),
    ]
    page.goto(plan_url)
    expect(page.get_by_role("link", name="revision 2")).to_be_visible()
