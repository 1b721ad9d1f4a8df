"""Fixtures shared by every test: personas, a real Celery worker on Redis."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
from django.test import Client

from oakview.core.models import CareHome, Framework, Role, Standard, User
from oakview.core.reference import load_standards

from .factories import PASSWORD, CareHomeFactory, UserFactory, member
from .faults import RedisServer, celery_on
from .pilot_part import pilot_part, test_templates  # noqa: F401 - fixtures for every test module
from .services import REDIS_DB_BASE, redis_url, require, require_redis
from .totp import admin_sign_in, give_app


@dataclass
class Personas:
    """The people every view test tries: Oak View's roles and a stranger from Beech House."""

    home: CareHome
    other_home: CareHome
    manager: User
    approver: User
    staff: User
    viewer: User
    stranger: User  # manager of Beech House

    def client(self, user: User | None) -> Client:
        # force_login, not login(): django-axes needs the request to count attempts, and
        # Client.login() authenticates without one. Sign-in itself is tested through the page.
        client = Client()
        if user is not None:
            # Fresh from the database: a test may have changed the password since.
            client.force_login(User.objects.get(pk=user.pk))
        return client


@pytest.fixture
def personas(db) -> Personas:
    home = CareHomeFactory(name="Oak View")
    other = CareHomeFactory(name="Beech House", beds=28)
    return Personas(
        home=home,
        other_home=other,
        manager=member(home, Role.MANAGER, "t-manager", first_name="Sarah", last_name="Okafor"),
        approver=member(home, Role.APPROVER, "t-approver", first_name="David", last_name="Hughes"),
        staff=member(home, Role.STAFF, "t-staff", first_name="Priya", last_name="Sharma"),
        viewer=member(home, Role.VIEWER, "t-viewer", first_name="Helen", last_name="Price"),
        stranger=member(other, Role.MANAGER, "t-stranger", first_name="James", last_name="Reid"),
    )


# --- Celery on Redis, with a real worker ----------------------------------------------------
# Databases 2 and 3 (OAKVIEW_TEST_REDIS_DB) are the tests' own: a development worker on /0 never takes test tasks.


@pytest.fixture(scope="session")
def celery_config():
    return {
        "broker_url": redis_url(REDIS_DB_BASE),
        "result_backend": redis_url(REDIS_DB_BASE + 1),
        "task_always_eager": False,
        "broker_connection_retry_on_startup": False,
    }


@pytest.fixture
def redis_worker(transactional_db, request):
    """A real Celery worker thread consuming from the test Redis (celery's pytest fixtures).

    The fixtures' test app becomes the current app, so the project's shared tasks are
    routed through Redis to the worker. Transactional DB: the worker thread has its own
    connection and must see committed rows.
    """
    require_redis()
    app = request.getfixturevalue("celery_app")
    request.getfixturevalue("celery_worker")
    return app


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own on a free port, which the test may stop and start."""
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(binary, tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fault_celery(private_redis, settings, transactional_db):
    """Celery (not in-process) on the private Redis: the outbox, tasks and /healthz use it.
    Start a worker with celery.contrib.testing.worker.start_worker(fault_celery, ...)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_on(private_redis) as app:
        yield app


@pytest.fixture
def operator(db) -> User:
    """A platform operator (superuser) with an authenticator app; `operator.secret` is its key."""
    user = UserFactory(username="operator", is_superuser=True, is_staff=True, first_name="Olu", last_name="Adeyemi")
    user.secret = give_app(user)
    return user


@pytest.fixture
def operator_client(operator) -> Client:
    """Signed in at the admin's own sign-in with password and a code: the admin opens."""
    client = Client()
    response = admin_sign_in(client, operator, PASSWORD, operator.secret)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs ~0.2 s a user; tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _standards_reference_data(request):
    """Migration core.0002 loads the standards, but a transactional test's flush empties
    every table; reload them (idempotent) for any test that uses the database."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        return

    if not Standard.objects.exists():
        load_standards(Framework, Standard)
