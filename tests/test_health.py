"""`/healthz`: what an uptime monitor reads. The database and broker answer, the tick
ran recently; 503 (with the failing part named) when not; no secrets in it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from config.health import LAST_TICK_KEY
from config.schedule import schedule_tick

pytestmark = pytest.mark.django_db


def test_embedded_mode_is_healthy_with_the_database(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "in-process",
        "tick": "in-process",
        "last_tick_seconds_ago": None,
    }
    assert "no-store" in response["Cache-Control"]


def test_a_tick_is_recorded_and_a_late_one_fails(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    monkeypatch.setattr("config.health._broker", lambda: "ok")

    schedule_tick(now=timezone.now())
    fresh = client.get("/healthz")
    cache.set(LAST_TICK_KEY, (timezone.now() - dt.timedelta(hours=1)).isoformat())
    late = client.get("/healthz")

    assert fresh.status_code == 200 and fresh.json()["tick"] == "ok"
    assert late.status_code == 503
    assert late.json()["tick"] == "late"
    assert late.json()["last_tick_seconds_ago"] >= 3600


def test_a_broker_that_does_not_answer_fails(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from config.celery_app import app

    before = app.conf.broker_url
    app.conf.broker_url = settings.REDIS_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = before

    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert "redis://" not in response.content.decode()
