"""Celery tasks: ids in, one service call, a retry policy. Every task is idempotent."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from pairing import rounds
from pairing.outbox import sweep
from pairing.outbox.tasks import outbox_send_batch

__all__ = ["outbox_send_batch", "outbox_sweep", "round_preview_form", "round_run"]


@shared_task
def outbox_sweep() -> None:
    sweep.outbox_sweep()


@shared_task
def round_run(round_id: int, run_by_id: int | None = None) -> None:
    rounds.round_run_by_id(round_id=round_id, run_by_id=run_by_id, now=timezone.now())


@shared_task
def round_preview_form(round_id: int, claimed_at: str, today: str, reshuffle: bool) -> None:
    """Form a claimed preview (a no-op unless the claim made at `claimed_at` still holds)."""
    rounds.preview_form(
        round_id=round_id,
        claimed_at=dt.datetime.fromisoformat(claimed_at),
        today=dt.date.fromisoformat(today),
        reshuffle=reshuffle,
    )
