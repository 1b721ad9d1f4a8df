"""Settings come from the environment; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!k2-production-like-secret-key-with-enough-entropy-4f7a1c9e8b2d6f0a",
    "ALLOWED_HOSTS": "oakview.example.org",
    "DATABASE_URL": "sqlite:////tmp/oakview-deploy-check.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith(("DJANGO_", "CELERY_"))}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "oakview.settings"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def _settings(env: dict[str, str], *names: str) -> list[str]:
    code = "import django; django.setup(); from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{n}))" for n in names
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_local_defaults_need_no_environment(tmp_path):
    debug, eager, engine, email = _settings(
        {}, "DEBUG", "CELERY_TASK_ALWAYS_EAGER", "DATABASES['default']['ENGINE']", "EMAIL_BACKEND"
    )
    assert debug == "True"
    assert eager == "True"  # no broker: tasks run in-process
    assert engine == "'django.db.backends.sqlite3'"
    assert "console" in email


def test_environment_overrides_are_parsed():
    out = _settings(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "a.example.org,b.example.org",
            "DATABASE_URL": "postgres://oak:pw@db.internal:5433/oakview",
            "CELERY_BROKER_URL": "redis://cache.internal:6379/1",
            "MEDIA_ROOT": "/srv/oakview/media",
        },
        "ALLOWED_HOSTS",
        "DATABASES['default']['HOST']",
        "DATABASES['default']['PORT']",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_RESULT_BACKEND",
        "MEDIA_ROOT",
        "SECURE_SSL_REDIRECT",
    )
    assert out == [
        "['a.example.org', 'b.example.org']",
        "'db.internal'",
        "5433",
        "False",
        "'redis://cache.internal:6379/1'",
        "PosixPath('/srv/oakview/media')",
        "True",
    ]


def test_production_without_secret_key_refuses_to_start():
    result = _run("import django; django.setup()", {"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_static_files_collect_and_pages_render(tmp_path):
    """collectstatic with the hashed-manifest storage, then a page that uses {% static %}.

    A stylesheet referring to a missing file, or a template naming a static file that is
    not collected, passes in development and fails only here: every page would be a 500.
    """
    env = {
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    collected = _run(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'collectstatic', '--no-input', '-v0'])",
        env,
    )
    assert collected.returncode == 0, collected.stderr
    page = _run(
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/accounts/login/', secure=True); print(r.status_code); "
        "print(r.content.decode())",
        env,
    )
    assert page.returncode == 0, page.stderr
    status, html = page.stdout.split("\n", 1)
    assert status == "200"
    assert "/static/css/oakview." in html and ".css" in html  # hashed name from the manifest
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_env_example_as_given_starts_a_local_site():
    """Someone copies .env.example to .env unchanged: the site must still start, locally."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "MEDIA_ROOT"} <= set(values)
    debug, eager, cookie_secure = _settings(values, "DEBUG", "CELERY_TASK_ALWAYS_EAGER", "SESSION_COOKIE_SECURE")
    assert (debug, eager, cookie_secure) == ("True", "True", "False")


def test_every_variable_the_settings_read_is_in_env_example():
    read = set(
        re.findall(r'env\.(?:str|int|bool|list|db|email_url)\("([A-Z_]+)"', (ROOT / "oakview" / "settings.py").read_text())
    )
    listed = set(re.findall(r"^#? ?([A-Z][A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - listed == set()


def test_hardening_settings_have_safe_defaults_and_are_read_from_the_environment():
    defaults = _settings(
        {}, "SESSION_IDLE_TIMEOUT", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "TRUSTED_PROXY_COUNT", "RATE_LIMITS"
    )
    assert defaults == [
        "1800",
        "10",
        "datetime.timedelta(seconds=900)",
        "0",
        "{'password-reset-address': '3/h', 'password-reset-ip': '20/h'}",
    ]
    changed = _settings(
        {"SESSION_IDLE_TIMEOUT": "600", "LOGIN_FAILURE_LIMIT": "5", "LOGIN_LOCKOUT_MINUTES": "60", "PASSWORD_RESET_RATE": "1/h"},
        "SESSION_IDLE_TIMEOUT",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "RATE_LIMITS['password-reset-address']",
    )
    assert changed == ["600", "5", "datetime.timedelta(seconds=3600)", "'1/h'"]


def test_beat_dispatches_the_outbox_every_minute():
    schedule = _settings({}, "CELERY_BEAT_SCHEDULE['outbox-dispatch']")[0]
    assert "'task': 'oakview.core.tasks.outbox_dispatch_task'" in schedule
    assert "'schedule': 60" in schedule
