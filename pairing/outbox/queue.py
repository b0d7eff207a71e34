"""Write outbox rows and queue them for sending, in batches, without ever raising."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from pairing.models import OutboxEmail
from pairing.outbox.sending import BATCH_SIZE

logger = logging.getLogger(__name__)


def outbox_enqueue(ids: Iterable[int]) -> int:
    """Queue send tasks in batches; returns how many batches were queued. Never raises:
    whatever could not be queued stays pending for the sweeper."""
    from kombu.exceptions import OperationalError

    from pairing.outbox.tasks import outbox_send_batch

    ids = list(ids)
    queued = 0
    for start in range(0, len(ids), BATCH_SIZE):
        try:
            outbox_send_batch.delay(ids[start : start + BATCH_SIZE])
        except OperationalError:
            logger.warning("Broker unavailable: %d emails wait for the sweeper", len(ids) - start)
            break
        queued += 1
    return queued


def outbox_queue(rows: list[OutboxEmail]) -> list[int]:
    """Insert outbox rows (a key already there is skipped) and queue them after commit.
    Call it inside the transaction that records why they are sent. Returns the ids."""
    if not rows:
        return []
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    # ignore_conflicts leaves pks unset; read them back. A row another tick inserted is
    # queued twice at worst, and the claim in outbox_send_batch sends it once.
    ids = list(
        OutboxEmail.objects.filter(key__in=[r.key for r in rows]).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: outbox_enqueue(ids), robust=True)
    return ids
