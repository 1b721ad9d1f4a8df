"""Walk the Oak View demo as every persona, following every link the pages offer.

What a user would check, everywhere at once: no page answers 500, nothing outside your
homes leaks (Beech House's manager never sees "Oak View"), and no page carries inline
script or style that the Content Security Policy would block.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from plans.models import Plan
from tests.core.test_site_shell import assert_no_inline_code

HREF = re.compile(r'href="([^"]+)"')
# Links that change state on GET are not offered (destructive actions are POST forms), but
# logging out through a link would end the walk early.
SKIP = ("/accounts/logout/", "/admin/")
MAX_PAGES = 250


def crawl(client: Client) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert_no_inline_code(html)
        for href in HREF.findall(html):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith(("/static/", *SKIP)):
                continue
            if href not in seen:
                queue.append(href)
    return seen


def sign_in(username: str) -> Client:
    """Through the sign-in page, as a person would: the demo password alone is enough."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "oakview-demo"})
    assert response.status_code == 302 and response["Location"] == "/", response.status_code
    return client


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("username", ["manager", "approver", "staff1", "viewer", "manager2"])
def test_walking_the_demo_never_errors_or_leaks(demo, username):
    client = sign_in(username)
    seen = crawl(client)
    errors = {url: code for url, code in seen.items() if code >= 500}
    assert errors == {}
    assert len([c for c in seen.values() if c == 200]) > 3, seen
    if username == "manager2":
        # Oak View's plan and people, as they would appear if scoping slipped anywhere.
        oak_view_data = ("Going digital", "Sarah Okafor", "Priya Sharma", "David Hughes", "Helen Price")
        for url, code in seen.items():
            if code == 200:
                body = client.get(url).content.decode()
                assert not [text for text in oak_view_data if text in body], url


def test_the_walk_reaches_the_pages_that_matter(demo):
    client = sign_in("manager")
    seen = crawl(client)
    reached = {url for url, code in seen.items() if code == 200}

    pk = Plan.objects.get(home__name="Oak View").pk
    for expected in [f"/plans/{pk}/", f"/plans/{pk}/risks/", f"/plans/{pk}/review/", f"/plans/{pk}/revisions/1/", "/actions/"]:
        assert expected in reached, sorted(reached)
