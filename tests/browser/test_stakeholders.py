"""Question 3 in the browser: the manager maps a resistant group, logs what they said,
answers it, turns it into a plan action and sees the grid change; every new page is clean
under axe-core and fits a phone."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from oakview.core.models import Role
from plans.models import Action, Plan
from stakeholders.models import Concern, Stakeholder
from tests.factories import CareHomeFactory, PlanFactory, ResourceFactory, member
from tests.stakeholders.factories import (
    ActivityFactory,
    AdkarPulseFactory,
    ChampionFactory,
    CommunicationFactory,
    ConcernFactory,
    StakeholderFactory,
)

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def oak_view_plan(transactional_db):
    home = CareHomeFactory(name="Oak View")
    manager = member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")
    priya = member(home, Role.STAFF, "staff1", first_name="Priya", last_name="Sharma")
    today = timezone.localdate()
    plan = PlanFactory(
        home=home,
        author=manager,
        title="Digital care records",
        start_date=today - dt.timedelta(days=30),
        go_live_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=90),
    )
    carers = StakeholderFactory(plan=plan, name="Tech-confident carers", stance="champion", power=3, interest=5, headcount=12)
    StakeholderFactory(
        plan=plan, name="Care Quality Commission", kind="regulator", shift_pattern="", power=5, interest=2, headcount=1
    )
    AdkarPulseFactory(stakeholder=carers, taken_on=today)
    ConcernFactory(plan=plan, stakeholder=carers, text="Colleagues will lean on us for everything.")
    ActivityFactory(plan=plan, title="Hands-on workshop", held_on=today - dt.timedelta(days=3)).audience.add(carers)
    time = ResourceFactory(plan=plan, kind="human", description="Champions' protected time", unit="hours")
    ChampionFactory(plan=plan, user=priya, protected_hours_per_week=2, protected_resource=time).groups.add(carers)
    CommunicationFactory(plan=plan, stakeholder=carers, message="Champions' catch-up", next_due=today - dt.timedelta(days=1))
    return plan


def test_manager_maps_a_resistant_group_answers_its_concern_and_makes_an_action(page, live_server, oak_view_plan):
    plan = oak_view_plan
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/{plan.pk}/stakeholders/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stakeholder map"
    assert serious_axe_violations(page) == []
    square = page.get_by_role("link", name="Power 3, interest 4 (manage closely): 2. Long-serving senior carers (resistant)")
    assert square.count() == 0  # nobody there yet

    editor = page.locator("#stakeholder-editor")
    editor.get_by_label("Name or group").fill("Long-serving senior carers")
    editor.get_by_label("Kind").select_option(label="Staff group")
    editor.get_by_label("Headcount").fill("6")
    editor.get_by_label("Shift pattern").select_option(label="Days")
    editor.get_by_label("Power").select_option("3")
    editor.get_by_label("Interest").select_option("4")
    editor.get_by_label("Stance").select_option(label="Resistant")
    editor.get_by_label("Their concerns, in their own words").fill("We will spend more time on screens than with residents.")
    url_before = page.url
    editor.get_by_role("button", name="Add stakeholder").click()

    # htmx swaps the map in place: the new group is on the grid, in its square, as a resistant marker.
    page.get_by_text("Added Long-serving senior carers (manage closely, resistant).").wait_for()
    assert page.url == url_before
    assert square.count() == 1
    assert square.locator("g.marker-resistant").count() == 1
    assert square.locator("text").first.text_content() == "2"  # numbered by name, as in the table
    assert page.locator(".stakeholder-table tbody tr").count() == 3
    assert serious_axe_violations(page) == []

    # Log what they said, in place.
    page.get_by_role("link", name="You said, we did").click()
    page.wait_for_url(f"**/plans/{plan.pk}/concerns/")
    form = page.locator("#concern-editor")
    form.get_by_label("Raised by").select_option(label="Long-serving senior carers")
    form.get_by_label("What they said").fill("We will spend more time on screens than with residents.")
    form.get_by_role("button", name="Log concern").click()
    page.get_by_text("Logged the concern from Long-serving senior carers.").wait_for()
    concern = Concern.objects.get(text__startswith="We will spend more time")
    card = page.locator(f"#concern-{concern.pk}")
    assert "Not answered yet" in card.inner_text()
    assert serious_axe_violations(page) == []

    # Answer it in place; an empty answer is explained beside the field first.
    card.get_by_role("link", name="Answer the concern").click()
    card = page.locator(f"#concern-{concern.pk}")
    card.get_by_role("button", name="Save the answer").click()
    page.get_by_text("Write the response you gave: what they were told.").wait_for()
    page.locator(f"#concern-{concern.pk}").get_by_label("Our response").fill(
        "The tablets go with you: a note takes a minute at the bedside instead of twenty at the desk."
    )
    page.locator(f"#concern-{concern.pk}").get_by_role("button", name="Save the answer").click()
    page.get_by_text("(answered)").wait_for()
    assert serious_axe_violations(page) == []

    # Make the follow-up a plan action (a plain form page).
    page.locator(f"#concern-{concern.pk}").get_by_role("link", name="Create a plan action").click()
    page.get_by_label("Action").fill("Write quick-note templates with the senior carers")
    page.get_by_label("Owner").select_option(label="Priya Sharma")
    page.get_by_label("Due date").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Added the action “Write quick-note templates with the senior carers” to the plan").wait_for()
    assert (
        "Plan action: Write quick-note templates with the senior carers, Priya Sharma"
        in page.locator(f"#concern-{concern.pk}").inner_text()
    )
    assert "Acted on" in page.locator(f"#concern-{concern.pk}").inner_text()
    assert Action.objects.get(plan=plan, title__startswith="Write quick-note").owner.username == "staff1"

    # Back on the map, the group is still in its square and the summary counts its concern as answered.
    page.get_by_role("link", name="Stakeholder map").click()
    assert (
        page.get_by_role("link", name="Power 3, interest 4 (manage closely): 2. Long-serving senior carers (resistant)").count()
        == 1
    )
    assert Stakeholder.objects.get(name="Long-serving senior carers").raised_concerns.get().status == "acted_on"


def test_the_stance_and_the_plain_form_fallback(page, live_server, oak_view_plan):
    """Without htmx the form is its own page; the stance change asks why and records it."""
    s = Stakeholder.objects.get(name="Tech-confident carers")
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/stakeholders/{s.pk}/edit/")
    assert page.get_by_role("heading", level=1).inner_text() == "Edit Tech-confident carers"
    page.locator("#id_stance").select_option(label="Supportive")
    page.get_by_role("button", name="Save Tech-confident carers").click()
    page.get_by_text("Say what moved them").wait_for()
    assert serious_axe_violations(page) == []
    page.get_by_label("What moved them").fill("Workload shared after the champions' catch-up")
    page.get_by_role("button", name="Save Tech-confident carers").click()
    page.wait_for_url(f"**/plans/{oak_view_plan.pk}/stakeholders/#stakeholder-list")
    page.goto(f"{live_server.url}/stakeholders/{s.pk}/")
    assert "Workload shared after the champions' catch-up" in page.locator("#stance-history").inner_text()


def test_every_new_page_is_accessible_and_fits_a_phone(page, live_server, oak_view_plan):
    plan = oak_view_plan
    s = Stakeholder.objects.get(name="Tech-confident carers")
    concern = s.raised_concerns.get()
    activity = plan.engagement_activities.get()
    champion = plan.champions.get()
    item = plan.communications.get()
    pulse = s.pulses.get()
    sign_in(page, live_server, "manager")
    paths = [
        f"/plans/{plan.pk}/stakeholders/",
        f"/plans/{plan.pk}/engagement/",
        f"/plans/{plan.pk}/concerns/",
        f"/stakeholders/{s.pk}/",
        f"/plans/{plan.pk}/stakeholders/new/",
        f"/stakeholders/{s.pk}/edit/",
        f"/stakeholders/{s.pk}/pulses/new/",
        f"/stakeholders/{s.pk}/delete/",
        f"/stakeholders/pulses/{pulse.pk}/delete/",
        f"/plans/{plan.pk}/engagement/new/",
        f"/stakeholders/activities/{activity.pk}/edit/",
        f"/stakeholders/activities/{activity.pk}/follow-up/",
        f"/stakeholders/activities/{activity.pk}/delete/",
        f"/plans/{plan.pk}/champions/new/",
        f"/stakeholders/champions/{champion.pk}/edit/",
        f"/stakeholders/champions/{champion.pk}/delete/",
        f"/plans/{plan.pk}/communications/new/",
        f"/stakeholders/communications/{item.pk}/edit/",
        f"/stakeholders/communications/{item.pk}/sent/",
        f"/stakeholders/communications/{item.pk}/delete/",
        f"/plans/{plan.pk}/concerns/new/",
        f"/stakeholders/concerns/{concern.pk}/respond/",
        f"/stakeholders/concerns/{concern.pk}/edit/",
        f"/stakeholders/concerns/{concern.pk}/action/",
        f"/stakeholders/concerns/{concern.pk}/delete/",
    ]
    found = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.get_by_role("heading", level=1).count() == 1, path
        violations = serious_axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    page.set_viewport_size({"width": 390, "height": 800})
    for path in paths[:4]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path


def test_a_grid_square_is_reached_from_the_keyboard_and_lists_its_stakeholders(page, live_server, oak_view_plan):
    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/{oak_view_plan.pk}/stakeholders/")
    square = page.get_by_role("link", name="Power 5, interest 2 (keep satisfied): 1. Care Quality Commission (neutral)")
    square.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/plans/{oak_view_plan.pk}/stakeholders/?cell=5-2#stakeholder-list")
    rows = page.locator(".stakeholder-table tbody tr")
    assert rows.count() == 1 and "Care Quality Commission" in rows.first.inner_text()


@pytest.fixture
def demo_plan(transactional_db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    return Plan.objects.get(home__name="Oak View")


@pytest.mark.parametrize("username", ["manager", "approver", "staff1"])
def test_the_demos_pages_are_accessible(page, live_server, demo_plan, username):
    """The full demo: eleven stakeholders, five weeks of stance, concerns, champions; this
    part's own pages, and the kernel's pages with its panels and blocks on them."""
    sign_in(page, live_server, username, password="oakview-demo")
    found = {}
    s = Stakeholder.objects.get(plan=demo_plan, name="Night staff")
    pk = demo_plan.pk
    kernel = ["/", "/actions/", f"/plans/{pk}/revisions/1/"]
    own = [f"/plans/{pk}/stakeholders/", f"/plans/{pk}/engagement/", f"/plans/{pk}/concerns/", f"/stakeholders/{s.pk}/"]
    paths = kernel if username == "staff1" else [*own, *kernel, f"/plans/{pk}/", f"/plans/{pk}/review/"]
    for path in paths:
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        violations = serious_axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    if username == "staff1":  # her champion duties, on her own page
        page.goto(f"{live_server.url}/actions/")
        assert page.get_by_role("heading", name="You are a change champion").count() == 1
