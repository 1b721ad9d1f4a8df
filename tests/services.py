"""Is a real service reachable? Outside CI a missing one skips its tests with the reason;
under CI=true it fails them, so a green CI run always means the real thing was exercised."""

from __future__ import annotations

import os
import socket
from functools import cache
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import TestCase

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REDIS_URL = os.environ.get("OAKVIEW_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# First of the two Redis databases the tests use (broker, results). Parallel runs on one
# machine pass different values so their workers never take each other's tasks.
REDIS_DB_BASE = int(os.environ.get("OAKVIEW_TEST_REDIS_DB", "2"))
CHROMIUM = os.environ.get("OAKVIEW_CHROMIUM", "/usr/bin/chromium")


@cache
def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def redis_url(db: int) -> str:
    return f"{REDIS_URL.rstrip('/')}/{db}"


def require(ok: bool, reason: str) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def require_redis() -> None:
    parsed = urlparse(REDIS_URL)
    require(_reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379), f"Redis is not reachable at {REDIS_URL}")


def require_postgres() -> None:
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL=postgres://...)")


def require_chromium() -> None:
    require(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


def committed():
    """`with committed(): ...` runs the on-commit callbacks of what the block does (the outbox
    hands its jobs over after the commit), inside a test that never commits (the `db` fixture)."""
    return TestCase.captureOnCommitCallbacks(execute=True)
