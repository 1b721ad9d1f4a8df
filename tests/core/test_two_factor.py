"""Two-step verification through the pages, with codes computed as a phone's app would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from oakview.core.models import SecurityEvent
from tests.core.test_site_shell import assert_no_inline_code
from tests.factories import PASSWORD, UserFactory
from tests.totp import admin_sign_in, secret_on_page, totp

CODE_LIST = re.compile(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>")


def set_up_app(client: Client) -> tuple[str, list[str]]:
    """As a person would: open the set-up page, read the key, type the app's code."""
    page = client.get("/account/security/app/")
    assert page.status_code == 200
    secret = secret_on_page(page.text)
    response = client.post("/account/security/app/", {"code": totp(secret)})
    assert response.status_code == 200, response.text
    codes = CODE_LIST.findall(response.text)
    return secret, codes


def password_step(username: str, next_url: str = "") -> tuple[Client, object]:
    client = Client()
    query = f"?next={next_url}" if next_url else ""
    return client, client.post(f"/accounts/login/{query}", {"username": username, "password": PASSWORD})


def wrong_code(secret: str) -> str:
    taken = {totp(secret, steps_ahead=n) for n in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in taken)


def test_a_manager_sets_up_the_app_and_is_then_asked_for_a_code(personas):
    client = personas.client(personas.manager)
    account = client.get("/account/security/")
    assert "Set up two-step verification" in account.text
    setup = client.get("/account/security/app/")
    assert '<img class="qr-code" src="data:image/svg+xml;' in setup.text  # drawn by the server
    assert_no_inline_code(setup.text)
    secret, codes = set_up_app(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Recovery codes left: <strong>10</strong>" in client.get("/account/security/").text
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_ENABLED, user=personas.manager).exists()

    fresh, response = password_step("t-manager")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert fresh.get("/").status_code == 302  # the password alone has not signed in
    refused = fresh.post("/accounts/login/code/", {"code": wrong_code(secret)})
    assert refused.status_code == 400 and "That code is not right" in refused.text
    # Straight after a wrong code the app is paused, even for the right code...
    paused = fresh.post("/accounts/login/code/", {"code": totp(secret, steps_ahead=1)})
    assert paused.status_code == 400 and "Too many wrong codes in a row" in paused.text
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        # ...and a moment later the next step's code signs in (the set-up code cannot be reused).
        response = fresh.post("/accounts/login/code/", {"code": totp(secret, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert fresh.get("/").status_code == 200
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN, user=personas.manager).latest("id")
    assert event.detail == {"two_step": True}


def test_the_codes_are_shown_once_and_each_recovery_code_signs_in_once(personas):
    secret, codes = set_up_app(personas.client(personas.approver))
    fresh, _ = password_step("t-approver")
    assert fresh.post("/accounts/login/code/", {"code": codes[0].upper()}).status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RECOVERY_CODE_USED, detail__left=9).exists()
    again, _ = password_step("t-approver")
    assert again.post("/accounts/login/code/", {"code": codes[0]}).status_code == 400
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):  # past the pause after a wrong code
        assert again.post("/accounts/login/code/", {"code": codes[1]}).status_code == 302


def test_the_page_asked_for_is_kept_through_the_code_step(personas):
    secret, _ = set_up_app(personas.client(personas.manager))
    client, response = password_step("t-manager", next_url="/plans/")
    assert response["Location"] == "/accounts/login/code/"
    response = client.post("/accounts/login/code/", {"code": totp(secret, steps_ahead=1)})
    assert response["Location"] == "/plans/"


def test_the_code_step_needs_a_fresh_password_step(personas):
    secret, _ = set_up_app(personas.client(personas.manager))
    assert Client().get("/accounts/login/code/", follow=True).redirect_chain[-1][0] == "/accounts/login/"
    client, _ = password_step("t-manager")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        response = client.post("/accounts/login/code/", {"code": totp(secret)}, follow=True)
    assert "the code has to follow the password within five minutes" in response.text
    assert client.get("/").status_code == 302


def test_ten_wrong_codes_lock_the_sign_in(personas):
    secret, _ = set_up_app(personas.client(personas.manager))
    client, _ = password_step("t-manager")
    for _ in range(9):
        assert client.post("/accounts/login/code/", {"code": wrong_code(secret)}).status_code == 400
    response = client.post("/accounts/login/code/", {"code": wrong_code(secret)})
    assert response.status_code == 429 and "Too many failed sign-in attempts" in response.text
    # Even the right password and code are refused until the cool-off ends.
    client, response = password_step("t-manager")
    assert response.status_code == 429


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_staff_and_viewers_are_not_offered_two_step_verification(personas, who):
    client = personas.client(getattr(personas, who))
    page = client.get("/account/security/")
    assert page.status_code == 200 and "for managers, approvers and administrators" in page.text
    assert client.get("/account/security/app/").status_code == 403
    assert client.post("/account/security/app/", {"code": "123456"}).status_code == 403
    assert client.post("/account/security/recovery-codes/").status_code == 403
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize(
    "path", ["/account/security/", "/account/security/app/", "/account/security/recovery-codes/", "/account/security/turn-off/"]
)
def test_account_security_pages_need_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_turning_it_off_needs_a_code(personas):
    client = personas.client(personas.manager)
    secret, codes = set_up_app(client)
    assert "Turn off two-step verification" in client.get("/account/security/turn-off/").text
    refused = client.post("/account/security/turn-off/", {"code": wrong_code(secret)})
    assert refused.status_code == 400 and TOTPDevice.objects.filter(user=personas.manager).exists()
    assert client.post("/account/security/turn-off/", {"code": codes[3]}).status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.manager).exists()
    _, response = password_step("t-manager")
    assert response["Location"] == "/"  # the password alone signs in again
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_DISABLED).count() == 1


def test_new_recovery_codes_replace_the_old_ones(personas):
    client = personas.client(personas.approver)
    _, old = set_up_app(client)
    assert "The codes you have now stop working" in client.get("/account/security/recovery-codes/").text
    response = client.post("/account/security/recovery-codes/")
    new = CODE_LIST.findall(response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert_no_inline_code(response.text)
    fresh, _ = password_step("t-approver")
    assert fresh.post("/accounts/login/code/", {"code": old[0]}).status_code == 400
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):  # past the pause after a wrong code
        assert fresh.post("/accounts/login/code/", {"code": new[0]}).status_code == 302


def test_a_superuser_without_the_app_cannot_open_the_admin(db):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    assert client.post("/accounts/login/", {"username": "root", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 302
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD, "code": ""})
    assert response.status_code == 200
    assert "The administration needs two-step verification" in response.text
    assert client.get("/admin/").status_code == 302
    assert "set it up to open the admin" in client.get("/account/security/").text


def test_a_superuser_who_sets_up_the_app_opens_the_admin_in_the_same_session(db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    secret, _ = set_up_app(client)
    assert client.get("/admin/").status_code == 200
    # Next time the admin's own sign-in asks for the code.
    other = Client()
    assert other.post("/admin/login/", {"username": "root", "password": PASSWORD, "code": ""}).status_code == 200
    assert admin_sign_in(other, root, PASSWORD, secret, steps_ahead=1).status_code == 302
    assert other.get("/admin/").status_code == 200


def test_the_admin_refuses_a_wrong_code(operator):
    client = Client()
    response = client.post("/admin/login/", {"username": "operator", "password": PASSWORD, "code": wrong_code(operator.secret)})
    assert response.status_code == 200 and "That code is not right" in response.text
    assert client.get("/admin/").status_code == 302


@override_settings(DEBUG=True)
def test_demo_users_have_no_app_and_sign_in_with_the_password(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert not TOTPDevice.objects.exists()
    for username in ("manager", "approver"):
        response = Client().post("/accounts/login/", {"username": username, "password": "oakview-demo"})
        assert response.status_code == 302 and response["Location"] == "/"
