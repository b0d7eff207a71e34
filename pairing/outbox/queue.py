"""Queue outbox rows for sending, in batches, without ever raising."""

from __future__ import annotations

import logging
from collections.abc import Iterable

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
