"""Query counts of the drafting pages do not grow with the number of rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import parts
from plans.models import Plan
from tests.factories import ActionFactory, DriverFactory, PlanFactory, ResourceFactory, TrainingSessionFactory


def _plan_with(personas, n: int):
    plan = PlanFactory(home=personas.home, author=personas.manager)
    ActionFactory.create_batch(n, plan=plan, owner=personas.staff)
    DriverFactory.create_batch(3, plan=plan)
    ResourceFactory.create_batch(3, plan=plan, owner=personas.manager)
    for _ in range(3):
        TrainingSessionFactory(plan=plan).attendees.set([personas.staff, personas.manager])
    return plan


@pytest.fixture
def only_drafting_panels(monkeypatch):
    # Other parts add their own panels to the plan page; their queries are theirs to count.
    monkeypatch.setattr(parts, "_parts", {"plan": parts.get_part("plan")})
    # Django caches content types per process; warm it so the count does not depend on test order.
    ContentType.objects.get_for_model(Plan)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["", "sections/need/", "sections/planning/", "sections/implementation/"])
def test_overview_and_section_pages_cost_the_same_for_5_and_500_rows(personas, page, only_drafting_panels):
    counts = []
    for n in (5, 500):
        plan = _plan_with(personas, n)
        counts.append(_queries(personas.client(personas.manager), f"/plans/{plan.pk}/{page}"))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("n", [5, 500])
def test_overview_queries_are_fixed(personas, n, django_assert_num_queries, only_drafting_panels):
    plan = _plan_with(personas, n)
    c = personas.client(personas.manager)
    # session, user, plan+home+author, memberships (role),
    # the workflow box: revisions (capped), readiness (drivers with evidence, costed resources,
    # actions missing an owner or date, any action, the plan with its training and their
    # attendees for the care-hours rule),
    # the cards: one count per kind of row (6); milestones with their action counts; action totals;
    # the timeline: actions, training sessions; unresolved review comments;
    # recent changes (capped): plan history, 6 row histories, action updates, audit events
    with django_assert_num_queries(33):
        assert c.get(f"/plans/{plan.pk}/").status_code == 200


def test_pages_with_every_panel_cost_the_same_for_5_and_500(personas):
    for page in ("", "sections/support/", "sections/implementation/"):
        counts = []
        for n in (5, 500):
            plan = _plan_with(personas, n)
            counts.append(_queries(personas.client(personas.manager), f"/plans/{plan.pk}/{page}"))
        assert counts[0] == counts[1], page


@pytest.mark.parametrize("n", [5, 500])
def test_my_actions_queries_are_fixed(personas, n, django_assert_num_queries):
    _plan_with(personas, n)
    c = personas.client(personas.staff)
    # session, user, memberships (nav), actions+plan+home+milestone, their updates+author, my training sessions,
    # and the parts' panels: one query to find the user is no change champion, one to find
    # they own no KPI; what the change means for them: their plans' approved summaries
    with django_assert_num_queries(9):
        assert c.get("/actions/").status_code == 200


@pytest.mark.parametrize("n", [5, 500])
def test_plan_list_queries_are_fixed(personas, n, django_assert_num_queries):
    for _ in range(3):
        _plan_with(personas, n // 3 or 1)
    c = personas.client(personas.manager)
    # session, user, memberships, homes for the filter, plans+home+author with action counts
    with django_assert_num_queries(5):
        assert c.get("/plans/").status_code == 200
