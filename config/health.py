"""`/healthz` for an uptime monitor: the database answers, the broker answers, and the
scheduler's tick ran recently. Plain JSON, no secrets, never cached; 503 when something
a member would notice is wrong."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

LAST_TICK_KEY = "health:last-tick"
# Beat runs the tick every TICK_SECONDS; three missed ticks mean beat or the worker is down.
MISSED_TICKS = 3


def record_tick(now: dt.datetime) -> None:
    """Called by every tick: when it last ran, for /healthz (shared through Redis)."""
    cache.set(LAST_TICK_KEY, now.isoformat(), timeout=None)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "down"
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    from config.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:
        return "down"
    return "ok"


def _tick(now: dt.datetime) -> tuple[str, int | None]:
    if not settings.REDIS_URL:
        return "in-process", None  # no beat without a broker: nothing to watch
    last = cache.get(LAST_TICK_KEY)
    if last is None:
        return "never", None
    age = int((now - dt.datetime.fromisoformat(last)).total_seconds())
    limit = MISSED_TICKS * settings.CELERY_BEAT_SCHEDULE["tick"]["schedule"]
    return ("ok" if age <= limit else "late"), age


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    tick, age = _tick(now)
    checks = {"database": _database(), "broker": _broker(), "tick": tick}
    healthy = checks["database"] == "ok" and checks["broker"] != "down" and tick != "late"
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **checks, "last_tick_seconds_ago": age},
        status=200 if healthy else 503,
    )
