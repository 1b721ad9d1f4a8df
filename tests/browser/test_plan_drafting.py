"""The drafting journey in a real browser: the manager starts a plan from the template and
assigns an action; the carer finds it under My actions and marks it done."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oakview.core.models import Role
from plans.models import Action
from tests.factories import CareHomeFactory, member

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def oak_view(transactional_db):
    home = CareHomeFactory(name="Oak View")
    member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")
    member(home, Role.STAFF, "staff1", first_name="Priya", last_name="Sharma")
    return home


def test_manager_plans_and_assigns_then_staff_marks_the_action_done(page, live_server, oak_view):
    today = timezone.localdate()
    due = today + dt.timedelta(days=7)

    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/new/")
    page.get_by_label("Title").fill("Going digital at Oak View")
    page.get_by_label("Start date").fill(today.isoformat())
    expect(page.get_by_label(re.compile("Paper to digital care records"))).to_be_checked()
    page.get_by_role("button", name="Create plan").click()

    # The overview, then question 1's page from its card, then question 2's from the sidebar.
    expect(page.get_by_role("heading", level=1)).to_have_text("Going digital at Oak View")
    expect(page.locator("#word-total")).to_contain_text("within the guide")
    page.get_by_role("link", name="1. Analysis of Need").click()
    expect(page.locator("#rows-driver")).to_contain_text("30% of files not updated in real time")
    page.get_by_role("link", name="2. Planning and Resource Management").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2. Planning and Resource Management")

    # htmx: the form opens in place and the actions table updates without leaving the page.
    page.get_by_role("link", name="Add an action").click()
    form = page.locator("#form-slot-action form")
    form.get_by_label("Title").fill("Charge the tablets before the pilot")
    form.get_by_label("Owner").select_option(label="Priya Sharma")
    form.get_by_label("Due date").fill(due.isoformat())
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#rows-action")).to_contain_text("Charge the tablets before the pilot")
    expect(page.locator("#form-slot-action form")).to_have_count(0)
    assert Action.objects.get(title="Charge the tablets before the pilot").owner.username == "staff1"
    assert serious_axe_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, live_server, "staff1")
    page.get_by_role("link", name="My actions").first.click()
    card = page.locator("article", has_text="Charge the tablets before the pilot")
    expect(card).to_contain_text("Going digital at Oak View")
    assert serious_axe_violations(page) == []
    card.get_by_label("Status").select_option(label="Done")
    card.get_by_label("Note (optional)").fill("All twelve charged and labelled")
    card.get_by_role("button", name=re.compile("^Update")).click()
    expect(page.locator("article", has_text="Charge the tablets before the pilot")).to_contain_text("Saved.")

    page.reload()
    done = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Done")))
    expect(done).to_contain_text("Charge the tablets before the pilot")
    expect(done).to_contain_text("All twelve charged and labelled")
    assert Action.objects.get(title="Charge the tablets before the pilot").status == Action.Status.DONE
