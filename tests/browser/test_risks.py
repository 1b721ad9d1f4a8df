"""A manager adds a risk in the browser and sees it land in the right heat-map square."""

import datetime as dt

import pytest
from django.utils import timezone

from oakview.core.models import Role
from risks.models import Risk
from tests.factories import CareHomeFactory, PlanFactory, member
from tests.risks.factories import RiskFactory

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def oak_view_plan(transactional_db):
    home = CareHomeFactory(name="Oak View")
    manager = member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")
    member(home, Role.STAFF, "staff1", first_name="Priya", last_name="Sharma")
    today = timezone.localdate()
    plan = PlanFactory(
        home=home,
        author=manager,
        title="Digital care records",
        start_date=today - dt.timedelta(days=30),
        go_live_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=90),
    )
    RiskFactory(
        plan=plan,
        title="Wi-Fi dead spots in the home",
        inherent_likelihood=4,
        inherent_impact=3,
        residual_likelihood=2,
        residual_impact=2,
        review_date=today - dt.timedelta(days=3),
    )
    return plan


def test_manager_adds_a_risk_and_it_lands_in_its_heat_map_square(page, live_server, oak_view_plan):
    plan = oak_view_plan
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/{plan.pk}/risks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Risk register"
    assert serious_axe_violations(page) == []

    assert page.get_by_role("link", name="Likelihood Possible by impact Catastrophic").count() == 0  # empty before

    editor = page.locator("#risk-editor")
    editor.locator("#id_title").fill("System outage on go-live day")
    editor.locator("#id_phase").select_option(label="Go-live week")
    editor.locator("#id_owner").select_option(label="Priya Sharma")
    editor.locator("#id_inherent_likelihood").select_option("3")
    editor.locator("#id_inherent_impact").select_option("5")
    editor.locator("#id_mitigation").fill("Offline mode on every tablet; 4G router.")
    editor.locator("#id_residual_likelihood").select_option("2")
    editor.locator("#id_residual_impact").select_option("3")
    editor.locator("#id_contingency").fill("Paper downtime packs; ring the supplier.")
    editor.locator("#id_trigger").fill("The app will not load for 15 minutes.")
    url_before = page.url
    editor.get_by_role("button", name="Add risk").click()

    # htmx swaps the register in place: no page load, the new risk in the table and the map.
    page.get_by_text("Risk R2 'System outage on go-live day' added to the register.").wait_for()
    assert page.url == url_before
    assert page.locator(".risk-table tbody tr").count() == 2
    inherent = page.get_by_role("link", name="Likelihood Possible by impact Catastrophic: score 15, extreme, 1 risk")
    residual = page.get_by_role("link", name="Likelihood Unlikely by impact Moderate: score 6, moderate, 1 risk")
    assert inherent.count() == 1 and residual.count() == 1
    assert inherent.locator("text").last.text_content() == "1"

    # The square links to the risks in it.
    inherent.click()
    page.wait_for_url(f"**/plans/{plan.pk}/risks/?cell=inherent-3-5#register-table")
    rows = page.locator(".risk-table tbody tr")
    assert rows.count() == 1 and "System outage on go-live day" in rows.first.inner_text()
    assert serious_axe_violations(page) == []


def test_bad_input_is_explained_beside_the_field_and_the_typing_kept(page, live_server, oak_view_plan):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/{oak_view_plan.pk}/risks/")
    editor = page.locator("#risk-editor")
    editor.locator("#id_title").fill("Agency staff without logins")
    editor.locator("#id_mitigation").fill("Names sent ahead.")
    editor.get_by_role("button", name="Add risk").click()
    page.get_by_text("Choose a likelihood from 1 (Rare) to 5 (Almost certain).").first.wait_for()
    assert page.locator("#risk-editor").locator("#id_mitigation").input_value() == "Names sent ahead."
    # Nothing saved, and the register around the form is intact.
    assert page.locator(".risk-table tbody tr").count() == 1
    assert page.locator(".risk-table .overdue-flag").count() == 1


def test_detail_form_and_delete_pages_are_accessible(page, live_server, oak_view_plan):
    risk = Risk.objects.get(plan=oak_view_plan)
    sign_in(page, live_server, "manager")
    for path in (
        f"/risks/{risk.pk}/",
        f"/risks/{risk.pk}/edit/",
        f"/risks/{risk.pk}/reviews/new/",
        f"/risks/{risk.pk}/delete/",
        f"/plans/{oak_view_plan.pk}/risks/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert serious_axe_violations(page) == [], path
    # The plain (no htmx) form shows its errors beside the fields too.
    page.goto(f"{live_server.url}/risks/{risk.pk}/reviews/new/")
    page.locator("#id_reviewed_on").fill(str(oak_view_plan.start_date - dt.timedelta(days=1)))
    page.get_by_role("button", name="Record review").click()
    page.get_by_text("a review cannot be dated before the plan starts").wait_for()
    assert serious_axe_violations(page) == []
