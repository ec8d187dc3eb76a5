"""A real Celery worker on the local Redis, in a subprocess, reading the test database.

Skipped without REDIS_URL (the in-process tests cover the logic) and without PostgreSQL (SQLite's
test database lives in memory, where a subprocess cannot see it).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if not REDIS_URL:
        reason = "REDIS_URL is not set: the Celery worker tests need a real Redis"
    elif not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        reason = "needs DATABASE_URL=postgres://…: the worker subprocess must see the test database"
    if reason:
        for item in items:
            if here in Path(item.fspath).parents:
                item.add_marker(pytest.mark.skip(reason=reason))


def wait_for(predicate, timeout: float, message: str, interval: float = 0.2):
    """Poll until predicate() is truthy; fail with message after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s: {message}")


def redis_host_port() -> tuple[str, int]:
    url = urlparse(REDIS_URL)
    return url.hostname or "127.0.0.1", url.port or 6379


def redis_up() -> bool:
    host, port = redis_host_port()
    return subprocess.run(["redis-cli", "-h", host, "-p", str(port), "ping"], capture_output=True,
                          text=True).stdout.strip() == "PONG"


def redis_stop() -> None:
    host, port = redis_host_port()
    subprocess.run(["redis-cli", "-h", host, "-p", str(port), "shutdown", "nosave"], capture_output=True)
    wait_for(lambda: not redis_up(), 10, "redis did not stop")


def redis_start() -> None:
    if redis_up():
        return
    host, port = redis_host_port()
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", host, "--port", str(port), "--save", "",
                    "--appendonly", "no"], check=True, capture_output=True)
    wait_for(redis_up, 15, "redis did not start")


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """One `celery worker` subprocess on its own queue; start(), kill() (SIGKILL), stop()."""

    def __init__(self, queue: str, mail_dir: Path, log_path: Path, send_delay: float = 0.0):
        self.queue, self.mail_dir, self.log_path, self.send_delay = queue, mail_dir, log_path, send_delay
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "dutyadmin.settings",
            "DJANGO_ENV": "test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            "DUTYADMIN_NOTIFICATION_QUEUE": self.queue,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "DJANGO_EMAIL_FILE_PATH": str(self.mail_dir),
            "DUTYADMIN_NOTIFICATION_SEND_DELAY": str(self.send_delay),
            "DUTYADMIN_NOTIFICATION_LEASE": "3",
            "DUTYADMIN_NOTIFICATION_RETRY_BASE": "1",
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "PYTHONUNBUFFERED": "1",
        })
        return env

    def start(self) -> "Worker":
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "dutyadmin", "worker", "--pool=solo", "-Q", self.queue,
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
             "-n", f"test-{self.queue}@%h"],
            cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: b"ready" in self.log_path.read_bytes() or self.proc.poll() is not None, 60,
                 "the worker did not become ready")
        if self.proc.poll() is not None:
            pytest.fail("the worker exited:\n" + self.log_path.read_text(errors="replace")[-3000:])
        return self

    def kill(self) -> None:
        """SIGKILL, as a machine losing power would: no warm shutdown, no ack."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        # A fresh "ready" line marks the next start.
        self.log_path.write_bytes(self.log_path.read_bytes().replace(b"ready", b"(was ready)"))


@pytest.fixture
def queue(settings) -> str:
    """A queue of this test alone, so parallel runs and other workers on the same Redis do not collide."""
    name = f"dutyadmin-test-{uuid.uuid4().hex[:12]}"
    settings.NOTIFICATION_QUEUE = name
    return name


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


def sent_mail_count(mail_dir: Path) -> int:
    """Messages the file-based email backend wrote (one Message-ID header each)."""
    return sum(p.read_bytes().count(b"Message-ID:") for p in mail_dir.glob("*.log"))


@pytest.fixture
def make_worker(transactional_db, queue, mail_dir, tmp_path):
    """make_worker(send_delay=0) → a started worker; every worker is stopped after the test."""
    workers: list[Worker] = []

    def make(send_delay: float = 0.0, start: bool = True) -> Worker:
        worker = Worker(queue, mail_dir, tmp_path / "worker.log", send_delay)
        workers.append(worker)
        return worker.start() if start else worker

    yield make
    for worker in workers:
        worker.stop()
    # The queue was this test's only: drop what may be left of it.
    if redis_up():
        host, port = redis_host_port()
        db = (urlparse(REDIS_URL).path or "/0").strip("/") or "0"
        subprocess.run(["redis-cli", "-h", host, "-p", str(port), "-n", db, "del", queue], capture_output=True)
