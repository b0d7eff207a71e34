"""The embedded SQLite (`make run`) under two writes at once: a walk's double "Send" of an
announcement got a 500 ("database is locked") when two transactions that read first
both tried to write. Each transaction now takes the write lock when it begins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE sent (n integer)")
connection.close()
errors = []
both_read = threading.Barrier(2, timeout=1)

def send(n):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sent")
                try:
                    both_read.wait()  # without the write lock taken at BEGIN, both get here
                except threading.BrokenBarrierError:
                    pass
                time.sleep(0.2)
                cursor.execute("INSERT INTO sent VALUES (%s)", [n])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM sent")
    print(cursor.fetchone()[0], errors)
"""


def test_two_transactions_that_read_then_write_at_once_both_succeed_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "true",
        "REDIS_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2 []"
