"""Claim outbox rows and send them, each exactly once, over one SMTP connection."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import mailers
from django.db.models import F
from django.utils import timezone

from pairing.models import OutboxEmail, OutboxStatus
from pairing.outbox.render import build_message

logger = logging.getLogger(__name__)
BATCH_SIZE = 100
MAX_ATTEMPTS = 8  # with doubling backoff from 30 s: about two hours of trying
LEASE = dt.timedelta(minutes=10)


def outbox_claim(*, pk: int, now: dt.datetime) -> bool:
    return bool(
        OutboxEmail.objects.filter(pk=pk, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def outbox_send_batch(*, ids: list[int], now: dt.datetime | None = None) -> list[int]:
    """Send the rows this worker can claim, over one connection. Returns the ids that
    failed and went back to pending (for the task to retry with backoff)."""
    now = now or timezone.now()
    failed = []
    connection = mailers.default
    try:
        for pk in ids:
            if not outbox_claim(pk=pk, now=now):
                continue  # sent already, or another worker has it
            # The round's snapshot is megabytes at scale; an email never needs it.
            row = (
                OutboxEmail.objects.select_related("match", "user", "pairing_round")
                .defer("pairing_round__snapshot", "pairing_round__draft")
                .get(pk=pk)
            )
            try:
                message = build_message(row)
                # Opening here, not before the loop, puts a refused connection on this row.
                connection.open()
                connection.send_messages([message])
            except Exception as error:  # any failure: put the row back, retry later
                if _release(row, error):
                    failed.append(pk)
                continue
            OutboxEmail.objects.filter(pk=pk).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
            )
    finally:
        connection.close()
    return failed


def _release(row: OutboxEmail, error: Exception) -> bool:
    status = OutboxStatus.FAILED if row.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
    logger.warning("Email %s failed (attempt %d): %s", row.key, row.attempts, error)
    backoff = dt.timedelta(seconds=30 * 2**row.attempts)
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=status, last_error=str(error)[:2000], next_attempt_at=timezone.now() + backoff
    )
    return status == OutboxStatus.PENDING


def outbox_send_pending(*, now: dt.datetime | None = None) -> int:
    """Send every pending row from this process (no worker needed); returns how many."""
    ids = list(OutboxEmail.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        outbox_send_batch(ids=ids[start : start + BATCH_SIZE], now=now)
    return OutboxEmail.objects.filter(pk__in=ids, status=OutboxStatus.SENT).count()
