"""Real services for the integration tests: PostgreSQL, Redis, Celery workers, an SMTP sink.

The tests need `DATABASE_URL` (PostgreSQL) and `REDIS_URL`. They use their own Redis
database number (REDIS_TEST_DB), flushed before and after each test, so queued messages
never leak into a developer's or another test's queue.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging
from django.db import connection
from kombu import pools

from config.celery_app import app
from tests.conftest import require_service
from tests.integration.smtp_sink import SmtpSink, free_port

BASE_DIR = Path(__file__).resolve().parents[2]
# Each pytest-xdist worker (gw0, gw1, ...) flushes a database of its own: 15, 14, ...
REDIS_TEST_DB = 15 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
START_REDIS = (
    "start it with `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' "
    "--appendonly no` and export REDIS_URL=redis://127.0.0.1:6379/0"
)
START_POSTGRES = (
    "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
    "and export DATABASE_URL=postgres://postgres@127.0.0.1:5432/coffee"
)


def with_redis_db(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture(scope="session")
def redis_test_url() -> str:
    """The Redis URL the tests may flush: REDIS_URL with database REDIS_TEST_DB."""
    url = os.environ.get("REDIS_URL", "")
    require_service(bool(url), f"Integration tests need Redis: REDIS_URL is not set; {START_REDIS}")
    test_url = with_redis_db(url, REDIS_TEST_DB)
    try:
        redis.Redis.from_url(test_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require_service(False, f"Redis at {url} is unreachable ({error}); {START_REDIS}")
    return test_url


@pytest.fixture(scope="session")
def postgres() -> None:
    require_service(
        connection.vendor == "postgresql",
        f"Integration tests need PostgreSQL, not {connection.vendor}: DATABASE_URL is "
        f"{'unset' if not os.environ.get('DATABASE_URL') else 'not PostgreSQL'}; " + START_POSTGRES,
    )


@contextmanager
def app_broker(url: str) -> Iterator[None]:
    """Point the Celery app (publishing and embedded workers) at `url`, not eagerly."""
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "worker_hijack_root_logger")
    }

    def reset_pools() -> None:
        # The connection and producer pools are built from broker_url on first use and
        # cached (by the app and in kombu's registry): drop them all so the next publish
        # connects to the new broker.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    # The worker must not take over the root logger (pytest's log capture lives there).
    app.conf.update(broker_url=url, task_always_eager=False, worker_hijack_root_logger=False)
    reset_pools()
    try:
        yield
    finally:
        app.conf.update(saved)
        reset_pools()


@pytest.fixture
def switch_broker() -> callable:
    """`with switch_broker(url):` publishes to (and embedded workers consume) `url`."""
    return app_broker


@pytest.fixture
def broker(postgres: None, redis_test_url: str) -> Iterator[str]:
    """The test Redis database, empty, as the app's broker for this test."""
    client = redis.Redis.from_url(redis_test_url)
    client.flushdb()
    with app_broker(redis_test_url):
        yield redis_test_url
    client.flushdb()
    client.close()


@pytest.fixture
def sink(settings: object) -> Iterator[SmtpSink]:
    """An SMTP sink; Django's default mailer (this process and embedded workers) uses it."""
    with SmtpSink() as smtp:
        settings.MAILERS = smtp.mailers()
        yield smtp


@contextmanager
def _embedded_worker(*, pool: str = "threads", concurrency: int = 2) -> Iterator[object]:
    def keep_logging(**kwargs: object) -> None:
        """Celery sets up logging (the root logger's level and handlers) unless a
        setup_logging receiver exists: this one leaves the test session's logging alone."""

    setup_logging.connect(keep_logging)
    try:
        with start_worker(
            app,
            pool=pool,
            concurrency=concurrency,
            perform_ping_check=False,
            shutdown_timeout=30,
            loglevel="WARNING",
        ) as worker:
            yield worker
    finally:
        setup_logging.disconnect(keep_logging)


@pytest.fixture
def embedded_worker(broker: str) -> callable:
    """`with embedded_worker():` runs a real Celery worker in this process (threads) on
    the test broker. It sees the test's settings (MAILERS) and the test database, and needs
    `django_db(transaction=True)` to see the rows the test committed."""
    return _embedded_worker


class WorkerProcess:
    """`celery -A config worker` in its own process group, with its own settings from env."""

    def __init__(self, name: str, env: dict[str, str], log: Path, pool: str = "solo") -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker {self.name} did not start:\n{self.text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole worker (no warm or cold shutdown, no ack, no cleanup)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()


@pytest.fixture
def worker_processes(broker: str, sink: SmtpSink, tmp_path: Path) -> Iterator[callable]:
    """Start `celery worker` subprocesses on the test broker, database and SMTP sink."""
    started: list[WorkerProcess] = []
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": broker,
        "EMAIL_URL": sink.url,
        # A hard-killed worker's message is redelivered after this many seconds.
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }

    def start(pool: str = "solo") -> WorkerProcess:
        name = f"w{len(started) + 1}"
        worker = WorkerProcess(name, env, tmp_path / f"{name}.log", pool=pool)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


def _test_database_url() -> str:
    """The database pytest-django created (test_<name>), as a URL for a subprocess."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class ThrowawayRedis:
    """A redis-server of our own (free port, no persistence) that a test may stop and
    start again on the same port without touching the machine's shared Redis."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
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
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                client.close()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        """SIGKILL: Redis gone at once, as after a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def throwaway_redis(postgres: None, redis_test_url: str) -> Iterator[ThrowawayRedis]:
    binary = shutil.which("redis-server")
    require_service(bool(binary), "redis-server is not installed (apt-get install redis-server)")
    server = ThrowawayRedis(binary)
    server.start()
    try:
        yield server
    finally:
        server.stop()
