"""Project configuration: one env-driven settings module, URLs, WSGI, the Celery app,
and the scheduler (`schedule.py`, `tasks.py`) that composes every app's due work into
one tick."""

from config.celery_app import app as celery_app

__all__ = ("celery_app",)
