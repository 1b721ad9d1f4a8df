"""axe-core on the main pages, filled with the Oak View demo rather than a handful of rows:
real narratives, badges, heat maps, diffs and charts are where contrast and structure slip."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from plans.models import Plan

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def demo_plan(transactional_db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    return Plan.objects.get(home__name="Oak View")


PAGES = {
    "manager": ["/", "/plans/", "/plans/{pk}/", "/plans/{pk}/risks/", "/plans/{pk}/revisions/1/", "/plans/{pk}/history/", "/actions/"],
    "approver": ["/reviews/", "/plans/{pk}/review/"],
    "staff1": ["/actions/", "/plans/{pk}/revisions/1/"],
}


@pytest.mark.parametrize("username", list(PAGES))
def test_main_pages_have_no_serious_axe_violations(page, live_server, demo_plan, username):
    sign_in(page, live_server, username, password="oakview-demo")
    found = {}
    for path in PAGES[username]:
        url = path.format(pk=demo_plan.pk)
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        violations = serious_axe_violations(page)
        if violations:
            found[url] = violations
    assert found == {}
