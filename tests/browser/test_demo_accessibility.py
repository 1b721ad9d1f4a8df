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
    "manager": [
        "/",
        "/plans/",
        "/plans/{pk}/",
        "/plans/{pk}/risks/",
        "/plans/{pk}/revisions/1/",
        "/plans/{pk}/history/",
        "/actions/",
    ],
    "approver": ["/reviews/", "/plans/{pk}/review/"],
    "staff1": ["/actions/", "/plans/{pk}/revisions/1/"],
    "viewer": ["/plans/", "/plans/{pk}/revisions/1/"],
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


def test_staff_pages_fit_a_phone_screen(page, live_server, demo_plan):
    """Staff update actions on shift from a phone: no sideways scrolling at 375 px."""
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, "staff1", password="oakview-demo")
    for path in ["/", "/actions/"]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    # The menu collapses behind a button that works from the keyboard.
    toggle = page.get_by_role("button", name="Show navigation")
    toggle.focus()
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="My actions", exact=True).wait_for(state="visible")
