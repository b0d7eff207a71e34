"""The one periodic task: whatever the database says is due, in every app."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from config.schedule import schedule_tick


@shared_task(name="config.tasks.tick")
def tick() -> None:
    schedule_tick(now=timezone.now())
