"""The end of a test run drops its PostgreSQL databases even when a thread that used the
database has ended without closing its connection (a live server's request, an embedded
worker's task): until its wrapper is garbage-collected that connection stays open, and
PostgreSQL refused the drop ("being accessed by other users"), a warning seen now and then
at the end of CI. tests/conftest.py collects the garbage first. Each check runs pytest in a
subprocess on a database of its own, with automatic garbage collection off, so the open
connection is certain rather than a matter of timing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
THREAD_TEST = """
import gc
import threading

import pytest

gc.disable()
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_thread_uses_the_database_and_ends():
    from members.models import User

    thread = threading.Thread(target=User.objects.count)
    thread.start()
    thread.join()
"""
# A thread still alive when the run ends (an idle server or worker thread) holds its
# connection whatever is collected.
ALIVE_TEST = """
import threading

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = threading.Event()


def _use_and_wait():
    from members.models import User

    User.objects.count()
    WAIT.wait()


def test_a_thread_uses_the_database_and_stays():
    threading.Thread(target=_use_and_wait, daemon=True).start()
    for _ in range(100):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            if cursor.fetchone()[0] > 1:
                return
        threading.Event().wait(0.05)
    raise AssertionError("the thread never connected")
"""
TEARDOWN_FAILED = "Error when trying to teardown test databases"
FIX = "from tests.conftest import django_db_setup  # noqa: F401\n"


def _run(tmp_path: Path, conftest: str, test: str = THREAD_TEST) -> str:
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "test_thread.py").write_text(test)
    db = connection.settings_dict
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    url = (
        f"postgres://{db['USER'] or 'postgres'}"
        + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        + f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/teardown_check_{worker}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-p", "no:xdist", "--rootdir", str(tmp_path), "-c", os.devnull, "-p", "pytest_django",
         str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    _drop(db, f"test_teardown_check_{worker}")  # left behind where the drop was refused
    assert "1 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def _drop(db: dict, name: str) -> None:
    import psycopg2

    maintenance = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        maintenance.close()


@pytest.mark.django_db
def test_the_databases_are_dropped_after_a_thread_left_its_connection(postgres, tmp_path):
    output = _run(tmp_path, FIX)

    assert TEARDOWN_FAILED not in output


@pytest.mark.django_db
def test_the_databases_are_dropped_while_a_thread_still_holds_its_connection(postgres, tmp_path):
    output = _run(tmp_path, FIX, ALIVE_TEST)

    assert TEARDOWN_FAILED not in output


@pytest.mark.django_db
def test_without_the_fix_a_live_thread_keeps_the_database(postgres, tmp_path):
    """The check above can fail: pytest-django's own teardown alone leaves it."""
    output = _run(tmp_path, "", ALIVE_TEST)

    assert "being accessed by other users" in output


@pytest.mark.django_db
def test_without_the_collection_the_drop_is_refused(postgres, tmp_path):
    """The check above can fail: pytest-django's own teardown alone leaves the database."""
    output = _run(tmp_path, "")

    assert TEARDOWN_FAILED in output
    assert "being accessed by other users" in output
