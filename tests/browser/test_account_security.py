"""Two-step verification and the lockout in Chromium: set up by scanning (typing) the key,
sign in with the app's code, a locked-out sign-in explained; every page under axe-core."""

import os

import pytest

from oakview.core.models import Role
from tests.factories import CareHomeFactory, member
from tests.totp import totp

from .conftest import serious_axe_violations, sign_in

SHOTS = os.environ.get("OAKVIEW_SCREENSHOTS")  # a folder: save screenshots there to look at


@pytest.fixture
def manager(transactional_db):
    return member(CareHomeFactory(name="Oak View"), Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")


def shoot(page, name: str) -> None:
    if SHOTS:
        for width in (390, 768, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def test_a_manager_turns_on_two_step_verification_and_signs_in_with_the_code(page, live_server, manager):
    sign_in(page, live_server, "manager")
    page.get_by_role("button", name="Sarah Okafor").click()
    page.get_by_role("link", name="Account security").click()
    assert serious_axe_violations(page) == []
    shoot(page, "account-security")
    page.get_by_role("link", name="Set up two-step verification").click()
    assert page.get_by_role("img", name="QR code for adding Oakview to an authenticator app").is_visible()
    assert serious_axe_violations(page) == []
    shoot(page, "two-factor-setup")
    secret = page.locator("code.secret-key").inner_text()
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-step verification").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert serious_axe_violations(page) == []
    shoot(page, "recovery-codes")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/code/")
    assert serious_axe_violations(page) == []
    shoot(page, "sign-in-code")
    page.get_by_label("Code").fill(totp(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Sarah Okafor"


def test_a_locked_out_sign_in_says_why_beside_the_form(page, live_server, manager, settings):
    settings.AXES_FAILURE_LIMIT = 3
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(3):
        page.get_by_label("Username").fill("manager")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Too many failed sign-in attempts").is_visible()
    assert page.get_by_label("Password").is_visible()
    assert serious_axe_violations(page) == []
    shoot(page, "locked-out")


def test_the_admin_sign_in_asks_for_the_code(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/admin/login/")
    assert page.get_by_label("Two-step code").is_visible()
    assert page.get_by_text("From your authenticator app, or a recovery code.").is_visible()
    shoot(page, "admin-login")
