"""A create form sent twice from a real browser adds one row: the server refuses the replay
of the form's one-time token (static/js/oakview.js also disables the button while sending)."""

from __future__ import annotations

import pytest

from oakview.core.models import Role
from plans.models import Driver
from tests.factories import CareHomeFactory, PlanFactory, member

from .conftest import sign_in


@pytest.fixture
def plan(transactional_db):
    home = CareHomeFactory(name="Oak View")
    manager = member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")
    return PlanFactory(home=home, author=manager, title="Going digital")


def test_the_same_form_sent_twice_without_htmx_adds_one_row(page, live_server, plan):
    """The plain form post (htmx off): the browser sends the form twice, the token once."""
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/{plan.pk}/driver/new/")
    form = page.locator("form.row-form")
    form.evaluate("f => { f.removeAttribute('hx-post'); }")
    page.locator("select[name=kind]").select_option("quality")
    page.locator("textarea[name=description], input[name=description]").first.fill("Paper notes lost between shifts")
    data = form.evaluate("f => Object.fromEntries(new FormData(f))")
    for _ in range(2):
        page.request.post(f"{live_server.url}/plans/{plan.pk}/driver/new/", form=data, headers={"Referer": live_server.url})
    assert Driver.objects.filter(plan=plan, description="Paper notes lost between shifts").count() == 1
