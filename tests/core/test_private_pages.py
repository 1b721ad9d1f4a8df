"""Nothing personal is cached, browser features are off, idle sessions end, and what
happens to accounts is on a read-only security log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from oakview.core.models import SecurityEvent
from tests.factories import PASSWORD, PlanFactory

Kind = SecurityEvent.Kind


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


# --- Cache-Control and Permissions-Policy ----------------------------------------------------


def test_signed_in_pages_and_downloads_are_never_stored(personas):
    plan = PlanFactory(home=personas.home, author=personas.manager)
    client = personas.client(personas.manager)
    for path in ("/", "/plans/", f"/plans/{plan.pk}/", "/account/security/"):
        assert no_store(client.get(path)), path
    download = client.get(f"/plans/{plan.pk}/actions.csv")
    assert download.status_code == 200 and download.has_header("Content-Disposition")
    assert no_store(download)


def test_an_anonymous_page_says_no_store_too_when_it_depends_on_the_cookie(client, db):
    assert no_store(client.get("/accounts/login/"))


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_every_response_switches_off_unused_browser_features(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


# --- Idle sign-out ----------------------------------------------------------------------------


def test_an_idle_session_is_signed_out_with_a_message_and_returns_where_it_was(personas):
    client = Client()
    client.post("/accounts/login/", {"username": "t-manager", "password": PASSWORD})
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        response = client.get("/plans/?status=draft")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/plans/%3Fstatus%3Ddraft"
        page = client.get(response["Location"])
        assert "You were signed out after 30 minutes without activity" in page.text
        again = client.post(response["Location"], {"username": "t-manager", "password": PASSWORD})
        assert again["Location"] == "/plans/?status=draft"
    assert SecurityEvent.objects.filter(kind=Kind.IDLE_TIMEOUT, user=personas.manager).count() == 1


def test_activity_keeps_the_session_alive(personas):
    client = personas.client(personas.manager)
    start = timezone.now()
    for minutes in (20, 40, 60, 80):
        with time_machine.travel(start + dt.timedelta(minutes=minutes)):
            assert client.get("/").status_code == 200


def test_an_idle_htmx_request_reloads_the_sign_in_page_whole(personas):
    client = personas.client(personas.manager)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        response = client.get("/plans/", headers={"HX-Request": "true", "Referer": "http://testserver/plans/"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/plans/"


def test_an_idle_post_returns_to_the_page_the_form_was_on(personas):
    plan = PlanFactory(home=personas.home, author=personas.manager)
    client = personas.client(personas.manager)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        response = client.post(
            f"/plans/{plan.pk}/action/new/", {"title": "x"}, headers={"Referer": f"http://testserver/plans/{plan.pk}/"}
        )
    assert response["Location"] == f"/accounts/login/?next=/plans/{plan.pk}/"
    assert not plan.actions.exists()


def test_the_idle_timeout_is_configurable_and_can_be_off(personas, settings):
    client = personas.client(personas.manager)
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert client.get("/").status_code == 302
    client = personas.client(personas.manager)
    settings.SESSION_IDLE_TIMEOUT = 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=11)):
        assert client.get("/").status_code == 200


# --- Security event log -------------------------------------------------------------------------


def test_sign_ins_failures_sign_outs_and_password_changes_are_logged(personas, django_capture_on_commit_callbacks, mailoutbox):
    client = Client(REMOTE_ADDR="198.51.100.20", HTTP_USER_AGENT="Care-home PC")
    client.post("/accounts/login/", {"username": "t-manager", "password": "typo"})
    client.post("/accounts/login/", {"username": "t-manager", "password": PASSWORD})
    client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "a-new-long-pass-phrase", "new_password2": "a-new-long-pass-phrase"},
    )
    client.post("/accounts/logout/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": personas.manager.email})
    events = list(SecurityEvent.objects.order_by("id").values_list("kind", "username", "ip_address"))
    assert events == [
        (Kind.SIGN_IN_FAILED, "t-manager", "198.51.100.20"),
        (Kind.SIGN_IN, "t-manager", "198.51.100.20"),
        (Kind.PASSWORD_CHANGED, "t-manager", "198.51.100.20"),
        (Kind.SIGNED_OUT, "t-manager", "198.51.100.20"),
        (Kind.PASSWORD_RESET_REQUESTED, "t-manager", "198.51.100.20"),
    ]
    assert SecurityEvent.objects.get(kind=Kind.SIGN_IN).user_agent == "Care-home PC"


def test_a_completed_reset_is_logged(personas, django_capture_on_commit_callbacks, mailoutbox):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": personas.manager.email})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "another-long-pass-phrase", "new_password2": "another-long-pass-phrase"})
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET, user=personas.manager).count() == 1


def test_the_security_log_is_read_only_for_operators(operator_client, personas):
    event = SecurityEvent.objects.filter(kind=Kind.SIGN_IN).first()
    assert event is not None  # the operator's own sign-in
    assert operator_client.get("/admin/core/securityevent/").status_code == 200
    assert operator_client.get(f"/admin/core/securityevent/{event.pk}/change/").status_code == 200
    assert "Save" not in operator_client.get(f"/admin/core/securityevent/{event.pk}/change/").text
    assert operator_client.get("/admin/core/securityevent/add/").status_code == 403
    assert operator_client.post(f"/admin/core/securityevent/{event.pk}/change/", {"kind": "sign_in"}).status_code == 403
    assert operator_client.post(f"/admin/core/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
    # Home roles never reach it.
    assert personas.client(personas.manager).get("/admin/core/securityevent/").status_code == 302


def test_admin_changes_are_on_the_security_log(operator_client, personas):
    response = operator_client.post(
        f"/admin/core/carehome/{personas.home.pk}/change/",
        {
            "name": "Oak View Care Home",
            "beds": 40,
            "regulator": "cqc",
            "location_id": "",
            "required_care_hours_per_day": "90",
            "rostered_care_hours_per_day": "96",
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.ADMIN_ACTION)
    assert event.username == "operator"
    assert event.detail == {"view": "core_carehome_change", "status": 302, "object_id": str(personas.home.pk)}
