"""Rate limits: password-reset posts, and the reusable decorator other views apply."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import timezone

from oakview.core.models import RateCounter, SecurityEvent
from oakview.core.ratelimit import parse_rate, post_field, rate_hit, rate_limit, url_kwarg
from tests.factories import UserFactory


@pytest.fixture
def reset(django_capture_on_commit_callbacks):
    def post(client: Client, email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/accounts/password_reset/", {"email": email})

    return post


def test_twenty_reset_posts_send_three_mails(db, reset, mailoutbox):
    UserFactory(username="sarah", email="sarah@example.org")
    client = Client()
    statuses = [reset(client, "Sarah@Example.org" if n % 2 else "sarah@example.org").status_code for n in range(20)]
    assert statuses == [302] * 3 + [429] * 17
    assert len(mailoutbox) == 3
    refused = reset(client, "sarah@example.org")
    assert "Too many requests. Please wait" in refused.text
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Logged once per window, not once per refused post.
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RATE_LIMITED, detail__scope="password-reset-address").count() == 1


def test_one_network_cannot_walk_through_addresses(db, reset, mailoutbox):
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [reset(client, f"person{n}@example.org").status_code for n in range(25)]
    assert statuses == [302] * 20 + [429] * 5
    # Someone else, elsewhere, is not held up.
    assert reset(Client(REMOTE_ADDR="198.51.100.20"), "me@example.org").status_code == 302


def test_the_limit_lifts_in_the_next_window(db, reset, mailoutbox):
    UserFactory(username="sarah", email="sarah@example.org")
    client = Client()
    for _ in range(4):
        reset(client, "sarah@example.org")
    assert len(mailoutbox) == 3
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert reset(client, "sarah@example.org").status_code == 302
    assert len(mailoutbox) == 4


def test_the_reset_page_itself_is_not_limited(db):
    client = Client()
    assert all(client.get("/accounts/password_reset/").status_code == 200 for _ in range(30))


def test_the_decorator_limits_a_get_view_by_a_url_argument(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "feed": "2/m"}

    @rate_limit("feed", key=url_kwarg("token"), methods=("GET",))
    def feed(request, token):
        return HttpResponse(f"feed {token}")

    factory = RequestFactory()

    def get(token: str):
        request = factory.get(f"/calendar/{token}.ics")
        request.resolver_match = type(resolve("/"))(feed, (), {"token": token}, "feed")
        return feed(request, token=token)

    assert [get("abc").status_code for _ in range(3)] == [200, 200, 429]
    assert get("other").status_code == 200  # each token counted on its own


def test_counts_are_kept_as_keyed_hashes_not_addresses(db):
    rate_hit("password-reset-address", "sarah@example.org", limit=3, period=3600)
    stored = RateCounter.objects.get()
    assert len(stored.digest) == 64
    assert "sarah" not in stored.digest


def test_post_field_key_ignores_case_and_blank():
    key = post_field("email")
    factory = RequestFactory()
    assert key(factory.post("/", {"email": " Sarah@Example.org "})) == "sarah@example.org"
    assert key(factory.post("/", {"email": ""})) is None


@pytest.mark.parametrize(
    ("rate", "expected"), [("3/h", (3, 3600)), ("10/15m", (10, 900)), ("100/d", (100, 86400)), ("5/s", (5, 1))]
)
def test_rates_are_read_as_count_per_period(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "3", "three/h", "3/w", "-1/h"])
def test_a_malformed_rate_is_refused(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)


def test_a_missing_scope_fails_when_the_view_is_decorated_not_on_a_request():
    with pytest.raises(KeyError):
        rate_limit("no-such-scope")
