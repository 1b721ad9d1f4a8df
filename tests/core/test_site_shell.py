"""The shell every page shares: CSP without inline code, error pages, UK formats."""

import datetime as dt
import re

import pytest
from django.template import Context, Template

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)


def assert_no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), "inline <script> would be blocked by the CSP"
    assert not STYLE_ATTR.search(html), "style= attribute would be blocked by the CSP"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler would be blocked by the CSP"


def test_csp_header_allows_no_inline_script(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_code(personas, client):
    assert_no_inline_code(client.get("/accounts/login/").text)
    for who in ("manager", "approver", "staff", "viewer"):
        assert_no_inline_code(personas.client(getattr(personas, who)).get("/").text)


def test_not_found_page_is_in_the_site_look(personas):
    response = personas.client(personas.manager).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Skip to main content" in response.text


def test_pages_are_in_uk_english(client, db):
    html = client.get("/accounts/login/").text
    assert '<html lang="en-GB">' in html


@pytest.mark.django_db
def test_uk_date_format():
    rendered = Template("{{ d|date }}").render(Context({"d": dt.date(2026, 11, 25)}))
    assert rendered == "25 Nov 2026"
