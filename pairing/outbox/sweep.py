"""The sweeper: return stale claims to pending and queue rows a lost enqueue left."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from pairing.models import OutboxEmail, OutboxStatus
from pairing.outbox.queue import outbox_enqueue
from pairing.outbox.sending import LEASE

SWEEP_AFTER = dt.timedelta(minutes=1)


def outbox_sweep(
    *, now: dt.datetime | None = None, enqueue: Callable[[list[int]], object] = outbox_enqueue
) -> int:
    """Return stale claims to pending, and queue pending rows that are due: never queued
    (the broker was down), past a retry's backoff, or queued long ago and still waiting."""
    now = now or timezone.now()
    OutboxEmail.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - LEASE).update(
        status=OutboxStatus.PENDING, next_attempt_at=None
    )
    due = Q(next_attempt_at__isnull=True, created_at__lt=now - SWEEP_AFTER) | Q(
        next_attempt_at__lte=now
    )
    ids = list(
        OutboxEmail.objects.filter(due, status=OutboxStatus.PENDING).values_list("pk", flat=True)[
            :20000
        ]
    )
    enqueue(ids)
    return len(ids)
