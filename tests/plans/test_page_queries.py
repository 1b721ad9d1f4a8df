"""Every main page of a plan costs the same number of queries at 5 rows as at 500, and the
approver's /reviews/ the same for 1 plan as for 10 (issue 14: flat query counts)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Plan
from plans.services import row_save
from tests.factories import ActionFactory, TrainingSessionFactory
from tests.plans.workflow_helpers import approve, ready_plan, submit

from .workflow_helpers import refresh


def _plan_with_history(personas, n: int, title: str) -> Plan:
    """A plan with n actions and n/10 training sessions, approved once, then changed (n
    times over, so the history runs to many pages) and submitted again: revision 2 in review."""
    plan = ready_plan(personas, title=title, start_date=dt.date(2026, 12, 1), end_date=dt.date(2027, 12, 1))
    ActionFactory.create_batch(n, plan=plan, owner=personas.staff, due_date=dt.date(2027, 2, 1))
    for _ in range(max(1, n // 10)):
        TrainingSessionFactory(plan=plan).attendees.set([personas.staff])
    submit(plan, personas)
    approve(plan, personas)
    for action in list(plan.actions.all()[:n]):
        action.title = f"{action.title} (revised)"
        row_save(row=action, by=personas.manager, expected_version=action.version, notify=False)
    return refresh(plan)


def _count(client, url: str) -> int:
    client.get(url)  # warm the process's caches (content types, reference data) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


PAGES = [
    ("manager", "/plans/{pk}/"),
    ("manager", "/plans/{pk}/revisions/"),
    ("manager", "/plans/{pk}/revisions/1/"),
    ("manager", "/plans/{pk}/actions.csv"),
    ("manager", "/plans/{pk}/training.csv"),
    ("staff", "/actions/"),
    ("manager", "/plans/{pk}/risks/"),
    ("manager", "/plans/{pk}/stakeholders/"),
    ("manager", "/plans/{pk}/engagement/"),
]
IN_REVIEW_PAGES = [
    ("approver", "/plans/{pk}/review/"),
    ("manager", "/plans/{pk}/review/"),
    ("manager", "/plans/{pk}/"),
    ("approver", "/reviews/"),
]


def test_every_main_page_costs_the_same_at_5_and_500_rows(personas):
    small = _plan_with_history(personas, 5, "Small plan")
    large = _plan_with_history(personas, 500, "Large plan")
    clients = {name: personas.client(getattr(personas, name)) for name in ("manager", "approver", "staff")}

    def counts(plan: Plan, pages) -> list[int]:
        return [_count(clients[who], url.format(pk=plan.pk)) for who, url in pages]

    # Approved and being changed: the plan page lists what needs a new approval.
    assert counts(small, PAGES) == counts(large, PAGES)
    # History pages in the database: a count, the page's (source, id) pairs, then one query
    # per kind of record on the page (at most ten: the plan, six kinds of row, notes, events,
    # and the plan record before the page's first), never one per record or per row.
    for page in ("", "?page=2"):
        url = f"/plans/{{pk}}/history/{page}"
        small_count, large_count = (_count(clients["manager"], url.format(pk=p.pk)) for p in (small, large))
        assert max(small_count, large_count) <= 3 + 2 + 10
    # The large plan's history really pages: its second page is full.
    page_two = clients["manager"].get(f"/plans/{large.pk}/history/?page=2")
    assert page_two.text.count('class="timeline-entry"') == 50
    assert "Page 2 of" in page_two.text

    submit(small, personas)
    submit(large, personas)
    assert counts(small, IN_REVIEW_PAGES) == counts(large, IN_REVIEW_PAGES)


@pytest.mark.parametrize("plans", [1, 10])
def test_reviews_list_is_one_query_however_many_plans_wait(personas, plans, django_assert_num_queries):
    for i in range(plans):
        submit(ready_plan(personas, title=f"Plan {i}"), personas)
    client = personas.client(personas.approver)
    # session, user, the approver's roles, then one query for every plan waiting with its
    # revision, home, author and submitter (no snapshot)
    with django_assert_num_queries(4):
        response = client.get("/reviews/")
    assert response.text.count("/review/") == plans
    for i in range(plans):
        assert f"Plan {i}" in response.text
