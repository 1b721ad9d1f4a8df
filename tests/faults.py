"""Real services that a test may break: a Redis server of the test's own (never the shared
one on 6379), and a Celery app pointed at it, configured from the project's settings."""

from __future__ import annotations

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from celery import Celery
from celery.contrib.testing.app import setup_default_app

READY_TRIES = 200  # x 25 ms: a redis-server starts in a few milliseconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server on a free loopback port, started and stopped by the test."""

    def __init__(self, binary: str, workdir: Path):
        self.binary = binary
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        for _ in range(READY_TRIES):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.025)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Stop it now (SIGTERM, as an outage or a restart would): clients' next command fails."""
        if self.process is None:
            return
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None


@contextmanager
def celery_at(broker_url: str, result_backend: str):
    """The project's Celery settings (fail-fast broker and result-backend options included)
    with another broker and result backend, as the current app: shared tasks, the outbox
    and the health check all use it."""
    app = Celery("oakview-faults", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker_url, result_backend=result_backend, task_always_eager=False)
    with setup_default_app(app):
        app.set_current()
        app.set_default()
        yield app


def celery_on(server: RedisServer):
    return celery_at(server.url(0), server.url(1))


def celery_with_nothing_listening():
    """A broker and result backend on a loopback port nobody listens on: refused at once."""
    port = free_port()
    return celery_at(f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1")
