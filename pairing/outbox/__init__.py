"""The outbox: every email is a row written in the transaction that causes it, then
claimed and sent exactly once by a worker.

A row moves pending -> sending (a conditional UPDATE, so only one worker can claim it)
-> sent. A worker that dies mid-send leaves a stale `sending` row; the sweeper returns it
to pending after LEASE. Enqueueing is best-effort: with Redis down the rows simply wait
for the sweeper. Apps register how to render their kinds of email (`render.renderer`);
the outbox imports no app's services, so members, pairing and feedback can all use it.
"""

from __future__ import annotations

from pairing.outbox.render import build_message, message_id, renderer
from pairing.outbox.sending import (
    BATCH_SIZE,
    LEASE,
    MAX_ATTEMPTS,
    outbox_claim,
    outbox_send_batch,
    outbox_send_pending,
)
from pairing.outbox.sweep import SWEEP_AFTER, outbox_sweep

from pairing.outbox.queue import outbox_enqueue, outbox_queue  # isort: skip -- after sending

__all__ = [
    "BATCH_SIZE",
    "LEASE",
    "MAX_ATTEMPTS",
    "SWEEP_AFTER",
    "build_message",
    "message_id",
    "outbox_claim",
    "outbox_enqueue",
    "outbox_queue",
    "outbox_send_batch",
    "outbox_send_pending",
    "outbox_sweep",
    "renderer",
]
