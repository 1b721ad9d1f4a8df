"""Reviews: dated, by a reviewer, moving the risk's current score and next review date."""

import datetime as dt

import pytest
from django.utils import timezone

from risks.models import Risk, RiskReview

from .factories import RiskFactory

TODAY = timezone.localdate


def test_manager_records_a_review_and_the_register_shows_the_trend(personas, plan):
    risk = RiskFactory(plan=plan, inherent_likelihood=4, inherent_impact=4, residual_likelihood=3, residual_impact=3)
    client = personas.client(personas.manager)
    next_review = TODAY() + dt.timedelta(days=30)
    response = client.post(
        f"/risks/{risk.pk}/reviews/new/",
        {
            "reviewed_on": str(TODAY()),
            "likelihood": "2",
            "impact": "3",
            "note": "Offline mode tested",
            "next_review": str(next_review),
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/risks/{risk.pk}/"
    review = RiskReview.objects.get()
    assert (review.reviewer, review.score, review.note) == (personas.manager, 6, "Offline mode tested")
    risk.refresh_from_db()
    assert (risk.residual_likelihood, risk.residual_impact, risk.review_date, risk.version) == (2, 3, next_review, 2)
    detail = client.get(f"/risks/{risk.pk}/").text
    assert "Review of R1 recorded: now 6 (moderate)." in detail
    assert "Offline mode tested" in detail and "Sarah Okafor" in detail
    register = client.get(f"/plans/{plan.pk}/risks/").text
    assert "Falling" in register and "16 → 6" in register


def test_review_dated_before_the_plan_starts_is_refused(personas, plan):
    risk = RiskFactory(plan=plan)
    before = plan.start_date - dt.timedelta(days=1)
    response = personas.client(personas.manager).post(
        f"/risks/{risk.pk}/reviews/new/", {"reviewed_on": str(before), "likelihood": "2", "impact": "2", "note": "Kept note"}
    )
    assert response.status_code == 400
    assert f"The plan starts on {plan.start_date:%d/%m/%Y}; a review cannot be dated before the plan starts." in response.text
    assert 'id="error_1_id_reviewed_on"' in response.text  # beside the field
    assert "Kept note" in response.text
    assert not RiskReview.objects.exists()


def test_review_in_the_future_is_refused(personas, plan):
    risk = RiskFactory(plan=plan)
    response = personas.client(personas.manager).post(
        f"/risks/{risk.pk}/reviews/new/",
        {"reviewed_on": str(TODAY() + dt.timedelta(days=2)), "likelihood": "2", "impact": "2"},
    )
    assert response.status_code == 400 and "cannot be dated in the future" in response.text


@pytest.mark.parametrize("field,value,message", [("likelihood", "6", "Choose a likelihood"), ("impact", "0", "Choose an impact")])
def test_review_scores_out_of_range_are_refused(personas, plan, field, value, message):
    risk = RiskFactory(plan=plan)
    data = {"reviewed_on": str(TODAY()), "likelihood": "2", "impact": "2", field: value}
    response = personas.client(personas.manager).post(f"/risks/{risk.pk}/reviews/new/", data)
    assert response.status_code == 400 and message in response.text
    assert not RiskReview.objects.exists()


def test_next_review_must_come_after_this_one(personas, plan):
    risk = RiskFactory(plan=plan)
    response = personas.client(personas.manager).post(
        f"/risks/{risk.pk}/reviews/new/",
        {"reviewed_on": str(TODAY()), "likelihood": "2", "impact": "2", "next_review": str(TODAY())},
    )
    assert response.status_code == 400 and "The next review must come after this one." in response.text


def test_overdue_only_while_the_risk_is_live(db):
    today = dt.date(2027, 2, 1)
    late = RiskFactory(review_date=dt.date(2027, 1, 31))
    assert late.is_overdue(today)
    assert not RiskFactory(review_date=today).is_overdue(today)
    assert not RiskFactory(review_date=None).is_overdue(today)
    assert not RiskFactory(review_date=dt.date(2027, 1, 1), status=Risk.Status.CLOSED).is_overdue(today)
    assert list(Risk.objects.overdue(today)) == [late]
