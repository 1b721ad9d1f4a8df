import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import KPI
from plans.models import Plan
from tests.factories import PlanFactory, ResourceFactory

from .factories import BenefitLineFactory, BenefitsCaseFactory, EvidenceFactory, KPIFactory, MeasurementFactory


@pytest.fixture
def plan(personas):
    """Oak View's plan, written by its manager, live for four weeks: go-live was 28 days
    ago, so measurements can fall before and after it whatever today is."""
    today = timezone.localdate()
    plan = PlanFactory(
        home=personas.home,
        author=personas.manager,
        title="Digital care records",
        start_date=today - dt.timedelta(days=60),
        go_live_date=today - dt.timedelta(days=28),
        end_date=today + dt.timedelta(days=63),
    )
    ResourceFactory(plan=plan, description="Tablets", quantity=Decimal("12"), unit_cost=Decimal("250"))
    return plan


@pytest.fixture
def framework(plan, personas):
    """Two KPIs (notes within an hour, owned by the staff member; staff confidence), weekly
    readings of the first with the go-live dip, one piece of evidence, the benefits case."""
    today = timezone.localdate()
    notes = KPIFactory(
        plan=plan,
        name="Care notes recorded within an hour",
        owner=personas.staff,
        baseline_date=plan.start_date,
        target_date=plan.end_date,
    )
    confidence = KPIFactory(
        plan=plan,
        name="Staff confident using the system",
        kind=KPI.Kind.QUALITATIVE,
        dimension=KPI.Dimension.CULTURAL,
        baseline=Decimal("40"),
        target=Decimal("80"),
        data_source="Staff survey",
    )
    for weeks_ago, value in ((5, "70"), (4, "62"), (3, "74"), (2, "80"), (1, "84")):
        MeasurementFactory(kpi=notes, date=today - dt.timedelta(days=7 * weeks_ago), value=Decimal(value))
    EvidenceFactory(plan=plan, kpi=confidence)
    BenefitsCaseFactory(plan=plan, social_return="An hour more a day with residents.")
    BenefitLineFactory(plan=plan)
    return {"notes": notes, "confidence": confidence}


def set_status(plan, status):
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan
