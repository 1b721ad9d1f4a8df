"""Sign-in throttling (django-axes): per username and per address, on the site and the admin,
with the reason on the sign-in page, and an operator's unlock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from oakview.core.models import SecurityEvent
from tests.factories import PASSWORD, UserFactory
from tests.totp import admin_sign_in, totp

ATTACKER = "203.0.113.7"  # documentation range: never a real client
LOCKED = "Too many failed sign-in attempts"


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_fifty_wrong_passwords_then_the_right_one_does_not_sign_in(personas):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(50):
        assert sign_in(client, "t-approver", "not-the-password").status_code in (200, 429)
    response = sign_in(client, "t-approver", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    # The sign-in page, with the reason beside the form, not a bare error page.
    assert LOCKED in response.text and 'name="password"' in response.text
    # Counted once per failure up to the limit, then each refused attempt is a lockout event.
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="t-approver").count() == 9
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT, username="t-approver").exists()


def test_the_lockout_is_per_username_from_any_address(personas):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(10):
        sign_in(attacker, "t-approver", "guess")
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(owner, "t-approver", PASSWORD).status_code == 429
    assert not signed_in(owner)
    # Other people at the owner's address are not affected.
    assert sign_in(owner, "t-manager", PASSWORD).status_code == 302


def test_the_lockout_is_per_address_across_usernames(personas):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(10):
        sign_in(attacker, f"guess{n}", "guess")
    assert sign_in(attacker, "t-manager", PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="198.51.100.20"), "t-manager", PASSWORD).status_code == 302


def test_a_few_typos_do_not_lock_anyone_out(personas):
    client = Client()
    for _ in range(9):
        response = sign_in(client, "t-manager", "typo")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
    assert sign_in(client, "t-manager", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_ends_by_itself_after_the_cool_off(personas):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(10):
        sign_in(client, "t-approver", "guess")
    assert sign_in(client, "t-approver", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert sign_in(client, "t-approver", PASSWORD).status_code == 302


def test_fifty_wrong_passwords_on_the_admin_then_the_right_one_and_code_do_not_open_it(operator):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(50):
        client.post("/admin/login/", {"username": "operator", "password": "guess", "code": "123456"})
    response = admin_sign_in(client, operator, PASSWORD, operator.secret)
    assert response.status_code == 429
    assert LOCKED in response.text and 'id="login-form"' in response.text
    assert client.get("/admin/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(operator):
    client = Client(REMOTE_ADDR=ATTACKER)
    right = totp(operator.secret)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(10):
        client.post("/admin/login/", {"username": "operator", "password": PASSWORD, "code": wrong})
    response = admin_sign_in(client, operator, PASSWORD, operator.secret)
    assert response.status_code == 429
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, username="operator").exists()


def test_an_operator_unlocks_a_user_from_the_user_list(personas, operator_client):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(10):
        sign_in(attacker, "t-approver", "guess")
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(owner, "t-approver", PASSWORD).status_code == 429

    response = operator_client.post("/admin/core/user/", {"action": "unlock_sign_in", "_selected_action": [personas.approver.pk]})
    assert response.status_code == 302
    assert sign_in(owner, "t-approver", PASSWORD).status_code == 302
    unlocked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.UNLOCKED)
    assert (unlocked.username, unlocked.detail["by"]) == ("t-approver", "operator")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ADMIN_ACTION, user__username="operator").exists()


def test_an_operator_unlocks_by_deleting_the_failed_attempts(personas, operator_client):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(10):
        sign_in(attacker, "t-approver", "guess")
    attempt = AccessAttempt.objects.get(username="t-approver")
    assert operator_client.get("/admin/axes/accessattempt/").status_code == 200
    response = operator_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert sign_in(attacker, "t-approver", PASSWORD).status_code == 302


def test_a_locked_out_user_can_still_reset_their_password(personas, django_capture_on_commit_callbacks, mailoutbox):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(10):
        sign_in(client, "t-approver", "guess")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": personas.approver.email})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[personas.approver.email]]


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_unknown_usernames_are_counted_too(db, path):
    UserFactory(username="real")
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(10):
        client.post(path, {"username": f"nobody{n}", "password": "guess"})
    assert AccessAttempt.objects.filter(ip_address=ATTACKER).count() == 10
    assert client.post(path, {"username": "real", "password": PASSWORD}).status_code == 429
