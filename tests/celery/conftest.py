"""A real Celery worker on the local Redis, in a subprocess, reading the test database.

Skipped without REDIS_URL (the in-process tests cover the logic) and without PostgreSQL (SQLite's
test database lives in memory, where a subprocess cannot see it).

Safe under pytest-xdist: each test has its own queue and worker name on REDIS_URL's Redis, each
xdist worker its own test database, and the test that stops Redis stops a redis-server of its own
(`own_redis`), never the shared one.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
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


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel's pick)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


class RedisServer:
    """A redis-server of one test alone, on a free port: stopping it stops nobody else's Redis.

    REDIS_URL's Redis is shared by every xdist worker of this run (and by anyone else's run on the
    machine); a test that takes Redis down takes down this one instead.
    """

    def __init__(self, workdir: Path):
        self.workdir, self.port = workdir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        if self.proc and self.proc.poll() is None:
            return self
        log = open(self.workdir / "redis.log", "ab")
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: redis_ping(self.url) or self.proc.poll() is not None, 15, "redis did not start")
        if self.proc.poll() is not None:
            pytest.fail("redis-server exited:\n" + (self.workdir / "redis.log").read_text(errors="replace")[-3000:])
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # redis-server shuts down on SIGTERM; with --save "" it writes nothing
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        wait_for(lambda: not redis_ping(self.url), 10, "redis did not stop")


def forget_broker_connections() -> None:
    """Celery keeps its broker pool and result backend once made; make it connect anew to the URLs in settings."""
    from dutyadmin.celery import app

    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """One `celery worker` subprocess on its own queue; start(), kill() (SIGKILL), stop()."""

    def __init__(self, queue: str, mail_dir: Path, log_path: Path, send_delay: float = 0.0,
                 redis_url: str = REDIS_URL):
        self.queue, self.mail_dir, self.log_path, self.send_delay = queue, mail_dir, log_path, send_delay
        self.redis_url = redis_url
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "dutyadmin.settings",
            "DJANGO_ENV": "test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
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
def own_redis(settings, tmp_path) -> RedisServer:
    """A started redis-server of this test alone; the test's process, Celery app and workers use it.

    Ask for it before make_worker, so that the workers stop before it does.
    """
    server = RedisServer(tmp_path).start()
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = server.url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    forget_broker_connections()
    yield server
    # The settings fixture restores REDIS_URL's Redis after this; Celery connects to it anew on next use.
    forget_broker_connections()
    server.stop()


@pytest.fixture
def make_worker(transactional_db, queue, mail_dir, tmp_path, settings):
    """make_worker(send_delay=0) → a started worker on settings.REDIS_URL; every worker is stopped after the test."""
    workers: list[Worker] = []

    def make(send_delay: float = 0.0, start: bool = True) -> Worker:
        worker = Worker(queue, mail_dir, tmp_path / "worker.log", send_delay, redis_url=settings.REDIS_URL)
        workers.append(worker)
        return worker.start() if start else worker

    yield make
    for worker in workers:
        worker.stop()
    # The queue was this test's only: drop what may be left of it.
    for url in {worker.redis_url for worker in workers}:
        if redis_ping(url):
            redis.Redis.from_url(url, socket_connect_timeout=2).delete(queue)
