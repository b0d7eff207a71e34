"""With tasks run in-process (`make run`, no Redis), a task that succeeds prints no line
(loading the demo printed 50 "Task ... succeeded in" lines), while one that fails still
raises in its caller (a page's error is logged by Django). Run in a process of its own,
with the settings `make run` uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import django
django.setup()
from celery import shared_task

@shared_task
def fine():
    return 1

@shared_task
def broken():
    raise ValueError("the task broke")

fine.delay()
try:
    broken.delay()
except ValueError as error:
    print("raised:", error)
"""


def _run(redis_url: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": redis_url,
        "EMAIL_URL": "console:",
        "DEBUG": "true",
        "LOG_FORMAT": "text",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_in_process_tasks_print_no_success_lines_and_failures_still_raise():
    out = _run(redis_url="")

    assert "succeeded in" not in out
    assert "raised: the task broke" in out


def test_a_workers_logging_keeps_its_success_lines():
    from config.observability import logging_config

    worker = logging_config(level="INFO", json_lines=True, admins=False)
    in_process = logging_config(level="INFO", json_lines=False, admins=False, in_process_tasks=True)

    assert "celery.app.trace" not in worker["loggers"]
    assert in_process["loggers"]["celery.app.trace"] == {"level": "WARNING"}
