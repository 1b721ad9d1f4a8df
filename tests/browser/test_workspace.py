"""The manager's and approver's workspace in Chromium: overview → section → save → the
checklist refreshed; bulk assign; a comment replied to and resolved; the approver deciding
from the top of the review page; staff's one tap to Done on a phone; axe on every new page;
no sideways scroll at 390, 768 and 1366 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Action, Plan, PlanDecision
from plans.services import workflow
from tests.factories import ActionFactory
from tests.plans.workflow_helpers import approve, ready_plan, request_changes, submit

from .conftest import serious_axe_violations, sign_in

WIDTHS = (390, 768, 1366)


def no_sideways_scroll(page) -> list[int]:
    """The widths at which the page scrolls sideways (none, we hope)."""
    wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(width)
    page.set_viewport_size({"width": 1366, "height": 900})
    return wide


def test_overview_section_save_refreshes_the_checklist_and_bulk_assign(page, live_server, personas):
    plan = ready_plan(personas)
    ActionFactory(plan=plan, title="Book the trainer", owner=None, due_date=None)
    ActionFactory(plan=plan, title="Print the downtime packs", owner=None, due_date=None)
    sign_in(page, live_server, personas.manager.username)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.locator(".next-step")).to_contain_text("“Book the trainer” needs an owner and a due date")
    assert serious_axe_violations(page) == []
    assert no_sideways_scroll(page) == []

    # The next step goes to the very row, on question 2's page.
    page.get_by_role("link", name="Fix this").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2. Planning and Resource Management")
    readiness = page.locator("#section-readiness")
    expect(readiness).to_contain_text("“Book the trainer” needs an owner")
    assert serious_axe_violations(page) == []
    assert no_sideways_scroll(page) == []

    # Bulk assign both, and the section's checklist updates without a reload.
    page.get_by_label("Tick every action").check()
    bulk = page.locator("#bulk-actions")
    bulk.get_by_label("Owner").select_option(label="Priya Sharma")
    bulk.get_by_label("Due date").fill("2027-01-20")
    bulk.get_by_role("button", name="Apply to ticked actions").click()
    expect(page.locator("#section-readiness")).to_contain_text("Nothing left to do in this section")
    assert set(Action.objects.filter(plan=plan).values_list("owner__username", flat=True)) == {personas.staff.username}


def test_comment_reply_and_resolve_on_the_section_page(page, live_server, personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    workflow.review_comment_add(
        plan_id=plan.pk, revision_number=1, by=personas.approver, section="planning", text="How will nights be covered?"
    )
    request_changes(plan, personas)
    sign_in(page, live_server, personas.manager.username)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="2. Planning and Resource Management").last.click()
    conversation = page.locator(".conversation").first
    expect(conversation).to_contain_text("How will nights be covered?")
    conversation.get_by_label("Reply to David Hughes").fill("Bank staff from 20:00, booked.")
    conversation.get_by_role("button", name="Reply").click()
    expect(page.locator(".conversation").first).to_contain_text("Bank staff from 20:00, booked.")
    page.locator(".conversation").first.get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".conversation").first).to_contain_text("Resolved by Sarah Okafor")
    assert serious_axe_violations(page) == []


def test_the_approver_decides_from_the_top_of_the_review_page(page, live_server, personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    sign_in(page, live_server, personas.approver.username)
    page.goto(f"{live_server.url}/plans/{plan.pk}/review/")
    expect(page.get_by_role("heading", name="What you are approving")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Record decision")).to_be_in_viewport()  # beside the summary
    assert serious_axe_violations(page) == []
    assert no_sideways_scroll(page) == []
    page.mouse.wheel(0, 5000)  # far down the revision: the decision is still there
    expect(page.get_by_role("button", name="Record decision")).to_be_in_viewport()
    page.get_by_label("Approve this revision").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Revision 1 approved.")).to_be_visible()
    assert PlanDecision.objects.get().outcome == "approved"


def test_staff_finish_a_task_in_one_tap_on_a_phone(browser, browser_context_args, live_server, personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    action = Action.objects.get(title="Order tablets")
    action.due_date = timezone.localdate() + dt.timedelta(days=1)
    action.save()
    context = browser.new_context(**browser_context_args, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, personas.staff.username)
    page.goto(f"{live_server.url}/actions/")
    card = page.locator(f"#today-{action.pk}")
    expect(card).to_be_in_viewport()
    card.get_by_role("button", name="Done").click()
    expect(page.locator(f"#today-{action.pk}")).to_contain_text("Done, thank you")
    assert serious_axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED
    context.close()


@pytest.mark.parametrize("path", ["/", "/plans/{pk}/sections/need/", "/plans/{pk}/sections/support/edit/"])
def test_new_pages_are_clean_under_axe_and_fit_every_width(page, live_server, personas, path):
    plan = ready_plan(personas)
    sign_in(page, live_server, personas.manager.username)
    page.goto(f"{live_server.url}{path.format(pk=plan.pk)}")
    assert serious_axe_violations(page) == []
    assert no_sideways_scroll(page) == []
