import pytest

from oakview.core.models import Role
from tests.factories import CareHomeFactory, member

from .conftest import serious_axe_violations, sign_in


@pytest.fixture
def oak_view_manager(transactional_db):
    home = CareHomeFactory(name="Oak View")
    return member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")


def test_login_page_is_accessible(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Oakview"
    assert serious_axe_violations(page) == []


def test_manager_signs_in_and_sees_the_dashboard(page, live_server, oak_view_manager):
    sign_in(page, live_server, "manager")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Sarah Okafor"
    assert page.get_by_text("Registered Manager").first.is_visible()
    assert serious_axe_violations(page) == []


def test_wrong_password_is_explained_next_to_the_form(page, live_server, oak_view_manager):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Please enter a correct username and password").is_visible()


def test_skip_link_moves_focus_to_main(page, live_server, oak_view_manager):
    sign_in(page, live_server, "manager")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
