"""Celery tasks: ids in, one service call, a retry policy. Every task is idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from pairing import rounds
from pairing.outbox import sweep
from pairing.outbox.tasks import outbox_send_batch

__all__ = ["outbox_send_batch", "outbox_sweep", "round_run"]


@shared_task
def outbox_sweep() -> None:
    sweep.outbox_sweep()


@shared_task
def round_run(round_id: int, run_by_id: int | None = None) -> None:
    rounds.round_run_by_id(round_id=round_id, run_by_id=run_by_id, now=timezone.now())
