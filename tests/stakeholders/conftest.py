import datetime as dt

import pytest
from django.utils import timezone

from plans.models import Plan
from tests.factories import PlanFactory


@pytest.fixture
def plan(personas):
    """Oak View's draft plan, written by its manager: started two months ago, so things can
    be dated in the past and in the future inside it whatever today is."""
    today = timezone.localdate()
    return PlanFactory(
        home=personas.home,
        author=personas.manager,
        title="Digital care records",
        start_date=today - dt.timedelta(days=60),
        go_live_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=90),
    )


def set_status(plan, status):
    # Only the workflow moves a plan between states; tests put it where they need it.
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan
