"""Profile one page of the large plan in-process with pyinstrument, production settings.

    DATABASE_URL=postgres://.../oakview_perf_bench .venv/bin/python benchmarks/profile_page.py /plans/1/ [user]

Seed first with `manage.py seed_large`. Prints the median of a few timed requests, the query
count, then pyinstrument's text report of one more request.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def production_env() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oakview.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SESSION_COOKIE_SECURE"] = "false"
    os.environ["CSRF_COOKIE_SECURE"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["EMAIL_URL"] = "dummymail://"
    # Manifest static files as in production, collected outside the tree.
    os.environ.setdefault("STATIC_ROOT", "/tmp/oakview-bench-static")
    sys.path.insert(0, str(ROOT))


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def main() -> None:
    production_env()
    import django

    django.setup()
    collect_static()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from oakview.core.models import User

    path = sys.argv[1]
    username = sys.argv[2] if len(sys.argv) > 2 else "manager"
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(path)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    print(f"{path} as {username}: {response.status_code}, {len(response.content):,} bytes, "
          f"median {statistics.median(times) * 1000:.1f} ms, {len(ctx.captured_queries)} queries")  # fmt: skip
    profiler = Profiler(interval=0.0005)
    profiler.start()
    client.get(path)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
