"""The database refuses what the matrix cannot place, whatever route the data takes."""

import pytest
from django.db import IntegrityError, transaction

from risks.models import Risk, RiskReview
from tests.factories import PlanFactory

from .factories import RiskFactory, RiskReviewFactory


@pytest.mark.parametrize("field", ["inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"])
@pytest.mark.parametrize("value", [0, 6])
def test_risk_scores_outside_1_to_5_are_refused_by_the_database(db, field, value):
    risk = RiskFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(**{field: value})
    risk.refresh_from_db()
    assert getattr(risk, field) in range(1, 6)


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize("value", [0, 6])
def test_review_scores_outside_1_to_5_are_refused_by_the_database(db, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskReviewFactory(**{field: value})
    assert not RiskReview.objects.exists()


def test_risk_numbers_are_unique_within_a_plan(db):
    plan = PlanFactory()
    RiskFactory(plan=plan, number=1)
    RiskFactory(plan=PlanFactory(), number=1)  # another plan may have its own R1
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFactory(plan=plan, number=1)


def test_scores_bands_and_reference(db):
    risk = RiskFactory(number=3, inherent_likelihood=4, inherent_impact=3, residual_likelihood=2, residual_impact=2)
    assert risk.ref == "R3"
    assert (risk.inherent_score, risk.inherent_band.key) == (12, "high")
    assert (risk.residual_score, risk.residual_band.key) == (4, "moderate")
    assert risk.is_serious
    assert str(risk) == f"R3 {risk.title}"


def test_edits_are_kept_in_history(db):
    risk = RiskFactory(title="Wi-Fi dead spots")
    risk.title = "Wi-Fi dead spots in the east wing"
    risk.save()
    assert [h.title for h in risk.history.order_by("history_date")] == ["Wi-Fi dead spots", "Wi-Fi dead spots in the east wing"]
