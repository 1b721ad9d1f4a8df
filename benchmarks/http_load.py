"""gunicorn (2 sync workers) under wrk (8 connections) on the large plan's pages, with
/healthz in the same run as the ceiling: requests a second, p50, p99, errors."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

from common import ROOT

PORT = int(os.environ.get("BENCH_PORT", "8114"))
DURATION = os.environ.get("BENCH_WRK_SECONDS", "15")


@dataclass
class WrkResult:
    name: str
    url: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int

    @property
    def tail(self) -> float:
        return self.p99_ms / self.p50_ms if self.p50_ms else float("inf")


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(name: str, url: str, out: str) -> WrkResult:
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    return WrkResult(name, url, rps, _ms(latency.get("50", "0ms")), _ms(latency.get("99", "0ms")), errors, requests)


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    from oakview.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run(plan: Any) -> list[WrkResult]:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("  wrk is not installed (make bench installs it with apt-get): skipped", flush=True)
        return []
    env = dict(os.environ)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "oakview.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "2", "--worker-class", "sync", "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        targets = [
            ("/healthz (ceiling)", "/healthz", None),
            ("Plan page (manager)", f"/plans/{plan.pk}/", "manager"),
            ("Review page (approver)", f"/plans/{plan.pk}/review/", "approver"),
            ("My actions (staff1)", "/actions/", "staff1"),
        ]
        results = []
        for name, path, user in targets:
            headers = ["-H", f"Cookie: {session_cookie(user)}"] if user else []
            # Warm both workers (templates, connections), then measure.
            subprocess.run([wrk, "-t", "2", "-c", "2", "-d", "3s", *headers, base + path], capture_output=True, check=False)
            out = subprocess.run(
                [wrk, "-t", "2", "-c", "8", "-d", f"{DURATION}s", "--timeout", "30s", "--latency", *headers, base + path],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
            result = parse_wrk(name, path, out)
            results.append(result)
            print(f"  {name:<28} {result.rps:7.1f} req/s  p50 {result.p50_ms:8.1f} ms  p99 {result.p99_ms:8.1f} ms  "
                  f"p99/p50 {result.tail:4.1f}  errors {result.errors} of {result.requests}", flush=True)  # fmt: skip
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
