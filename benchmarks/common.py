"""Shared by the benchmarks: production settings, the machine, interleaved timing."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def production_env(database_url: str) -> None:
    """As deployed: DEBUG off (cached templates, manifest static files), PostgreSQL."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oakview.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # Plain HTTP on the loopback: no redirect to HTTPS, cookies sent without TLS.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "false"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.setdefault("STATIC_ROOT", "/tmp/oakview-bench-static")
    os.environ.setdefault("MEDIA_ROOT", "/tmp/oakview-bench-media")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    os_name = platform.platform()
    try:
        release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        os_name = release.get("PRETTY_NAME", os_name).strip('"')
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}; {os_name}; Python {platform.python_version()}"


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def interleaved(candidates: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Each candidate once to warm up, then `rounds` rounds running each in turn, so drift
    in the machine's load hits every candidate alike. Seconds per run."""
    for fn in candidates.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return times


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000
