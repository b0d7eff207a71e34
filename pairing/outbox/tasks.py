"""The outbox's send task (registered through `pairing.tasks`; its name is kept stable)."""

from __future__ import annotations

from celery import shared_task

from pairing.outbox import sending


@shared_task(bind=True, max_retries=6, name="pairing.tasks.outbox_send_batch")
def outbox_send_batch(self, ids: list[int]) -> None:
    failed = sending.outbox_send_batch(ids=ids)
    if failed:
        raise self.retry(args=[failed], countdown=30 * 2**self.request.retries)
