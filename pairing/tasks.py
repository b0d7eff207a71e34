"""Celery tasks: ids in, one service call, a retry policy. Every task is idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from pairing import outbox, rounds


@shared_task(bind=True, max_retries=6)
def outbox_send_batch(self, ids: list[int]) -> None:
    failed = outbox.outbox_send_batch(ids=ids)
    if failed:
        raise self.retry(args=[failed], countdown=30 * 2**self.request.retries)


@shared_task
def outbox_sweep() -> None:
    outbox.outbox_sweep()


@shared_task
def round_run(round_id: int, run_by_id: int | None = None) -> None:
    rounds.round_run_by_id(round_id=round_id, run_by_id=run_by_id, now=timezone.now())


@shared_task
def tick() -> None:
    """The one periodic task: whatever the database says is due."""
    rounds.schedule_tick(now=timezone.now())
