"""The assessor marks two criteria not yet met and issues the feedback; the manager sees
them on the plan page, edits and resubmits; once approved, the assessor sees what changed
since the revision they assessed. In Debian's Chromium, with axe on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plans.assessment.criteria import CRITERIA
from plans.models import Assessment
from plans.services import assessment as assessment_services
from tests.plans.workflow_helpers import approve, ready_plan, submit

from .conftest import serious_axe_violations, sign_in

NOT_MET = {"q4.go_live_risks": "Say what keeps residents safe if the tablets fail on nights.", "sub.depth": "Explain why."}


@pytest.fixture
def assessor_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # "Issue feedback" asks for confirmation: the assessor means it.
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def test_assessor_feedback_reaches_the_manager_and_the_resubmission_shows_the_diff(page, assessor_page, live_server, personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    assessment_services.assessor_assign(plan_id=plan.pk, by=personas.manager, assessor=personas.viewer)

    # The assessor finds the plan under "Plans to assess" and assesses revision 1.
    sign_in(assessor_page, live_server, personas.viewer.username)
    assessor_page.get_by_role("link", name="Plans to assess", exact=True).click()
    assessor_page.get_by_role("link", name="assess revision 1").click()
    expect(assessor_page.get_by_role("heading", level=1)).to_contain_text("Assess revision 1")
    violations = serious_axe_violations(assessor_page)
    assert violations == [], violations
    for criterion in CRITERIA:
        value = "not_yet_met" if criterion.key in NOT_MET else "met"
        assessor_page.locator(f'input[name="judgement_{criterion.key}"][value="{value}"]').check()
    for key, text in NOT_MET.items():
        assessor_page.locator(f'textarea[name="feedback_{key}"]').fill(text)
    assessor_page.get_by_label("Not yet met: resubmission needed").check()
    assessor_page.get_by_label("Overall feedback").fill("A well-argued plan with two gaps.")
    assessor_page.get_by_role("button", name="Issue feedback").click()
    expect(assessor_page.get_by_text("Feedback issued.")).to_be_visible()
    assert Assessment.objects.issued().filter(plan=plan).count() == 1

    # The manager sees the two criteria not yet met on the plan's overview, and on question 4's page.
    sign_in(page, live_server, personas.manager.username)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    feedback = page.locator("#assessor-feedback")
    expect(feedback).to_contain_text("Assessor's feedback on revision 1")
    expect(feedback).to_contain_text("Two go-live week risks with contingencies")
    expect(feedback).to_contain_text("Depth: consequences explained")
    expect(feedback).to_contain_text(NOT_MET["q4.go_live_risks"])
    violations = serious_axe_violations(page)
    assert violations == [], violations
    page.goto(f"{live_server.url}/plans/{plan.pk}/sections/implementation/")  # question 4's own page
    expect(page.get_by_text("Assessor's feedback on question 4 (revision 1)")).to_be_visible()
    violations = serious_axe_violations(page)
    assert violations == [], violations

    # The manager edits question 4's answer and resubmits; the approver approves revision 2.
    page.goto(f"{live_server.url}/plans/{plan.pk}/sections/implementation/edit/")
    narrative = page.get_by_label(re.compile("Narrative"))
    narrative.fill(narrative.input_value() + "\n\nIf the tablets fail on nights, the paper downtime packs keep residents safe.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Implementation and Risk saved.")).to_be_visible()
    submit(plan, personas)
    approve(plan, personas)

    # The assessor sees what changed since revision 1 and what was not yet met there.
    assessor_page.goto(f"{live_server.url}/assessments/")
    assessor_page.get_by_role("link", name="assess revision 2").click()
    resubmission = assessor_page.locator("#resubmission-title").locator("xpath=..")
    expect(resubmission).to_contain_text("since revision 1, which you assessed")
    expect(resubmission).to_contain_text("Not yet met in revision 1")
    expect(resubmission).to_contain_text(NOT_MET["q4.go_live_risks"])
    expect(resubmission).to_contain_text("paper downtime packs keep residents safe")
    violations = serious_axe_violations(assessor_page)
    assert violations == [], violations
