"""The overdue-review count on the manager's dashboard and the summary on the plan page."""

import datetime as dt

from tests.factories import PlanFactory

from .factories import RiskFactory

LONG_AGO = dt.date(2020, 1, 1)


def test_manager_dashboard_counts_overdue_reviews_with_a_link(personas, plan):
    RiskFactory(plan=plan, review_date=LONG_AGO)
    RiskFactory(plan=plan, review_date=LONG_AGO)
    RiskFactory(plan=plan, review_date=LONG_AGO, status="closed")  # closed: nothing to review
    RiskFactory(plan=plan, review_date=dt.date(2999, 1, 1))
    RiskFactory(plan=PlanFactory(home=personas.other_home), review_date=LONG_AGO)  # another home's
    page = personas.client(personas.manager).get("/").text
    assert "2 risks overdue for review." in page
    assert f'href="/plans/{plan.pk}/risks/?review=overdue#register-table"' in page


def test_dashboard_panel_is_for_managers_only(personas, plan):
    RiskFactory(plan=plan, review_date=LONG_AGO)
    for who in ("approver", "staff", "viewer"):
        assert "Risk reviews" not in personas.client(getattr(personas, who)).get("/").text
    assert "No risk is overdue for review." in personas.client(personas.stranger).get("/").text


def test_plan_page_summarises_the_register(personas, plan):
    RiskFactory(plan=plan, inherent_likelihood=5, inherent_impact=5, residual_likelihood=2, residual_impact=4)
    RiskFactory(plan=plan, review_date=LONG_AGO)
    # On question 4's page, where the part puts its panel.
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/sections/implementation/").text
    assert "Risk register" in page and "2 risks; <strong>1 overdue for review</strong>" in page
    assert f'href="/plans/{plan.pk}/risks/"' in page


def test_plan_page_summary_is_shown_to_approvers_and_not_to_staff_on_a_draft(personas, plan):
    RiskFactory(plan=plan)
    # Staff never open a draft plan (they read approved revisions), so never its summary.
    assert personas.client(personas.staff).get(f"/plans/{plan.pk}/sections/implementation/").status_code == 403
    page = personas.client(personas.approver).get(f"/plans/{plan.pk}/sections/implementation/")
    assert page.status_code == 200 and "Open the risk register" in page.text
