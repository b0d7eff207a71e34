"""Logs and error reports for a server nobody watches: one line of JSON per log record
(`LOG_FORMAT=json`, the production default) for journald or any log shipper; unhandled
errors emailed to `ADMINS`; and, when `SENTRY_DSN` is set, sent to Sentry (or a
self-hosted GlitchTip) through sentry-sdk, without members' personal data."""

from __future__ import annotations

import datetime as dt
import json
import logging
from email.utils import getaddresses


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(
    *, level: str, json_lines: bool, admins: bool, in_process_tasks: bool = False
) -> dict:
    """The LOGGING setting: console (text or JSON) for everything; unhandled request
    errors also by email to ADMINS when there are any. With tasks run in-process (no
    Redis: `make run`), a task's "succeeded" line is left out (loading the demo printed 50
    of them); a task that fails is still logged."""
    handlers: dict = {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if json_lines else "text",
        }
    }
    request_handlers = ["console"]
    if admins:
        handlers["mail_admins"] = {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "include_html": False,  # the HTML report can hold request data: keep it out
        }
        request_handlers.append("mail_admins")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "json": {"()": "config.observability.JsonFormatter"},
        },
        "handlers": handlers,
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"handlers": request_handlers, "level": "ERROR", "propagate": False},
            **({"celery.app.trace": {"level": "WARNING"}} if in_process_tasks else {}),
        },
    }


def admins_from(value: str) -> list[tuple[str, str]]:
    """ "Ana <ana@example.org>, ops@example.org" -> [("Ana", "ana@..."), ("", "ops@...")]."""
    return [(name, address) for name, address in getaddresses([value]) if address]


def sentry_init(*, dsn: str, environment: str, traces: float) -> bool:
    """Report errors to Sentry when a DSN is set; no personal data (emails, IPs, bodies)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces,
    )
    return True
