import pytest
from django.db import connection
from django.test import Client

from oakview.celery import app
from tests.services import REDIS_DB_BASE, redis_url, require_redis


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # The test settings have no broker: tasks run in-process.
    assert body["broker"] == "in-process"


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_unreachable(client):
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-dir/oakview.sqlite3"
    else:
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_healthz_needs_no_login_and_no_trailing_slash(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/").status_code == 404


def _broker_status_with(url: str, settings) -> dict:
    saved = app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = url
    try:
        return Client().get("/healthz").json()
    finally:
        # The health check opens its own connection (never the app's pool), so restoring the
        # URL is all the cleanup needed.
        app.conf.broker_url = saved


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_a_reachable_redis_broker(settings):
    require_redis()
    assert _broker_status_with(redis_url(REDIS_DB_BASE), settings)["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_but_stays_up(settings):
    # Port 1 on loopback: the connection is refused at once.
    body = _broker_status_with("redis://127.0.0.1:1/0", settings)
    assert body["broker"] == "down"
    assert body["status"] == "ok"
