"""An organiser's "try again" for emails that failed every attempt (a mail server that
was down for hours, a password that has since been fixed)."""

from __future__ import annotations

from django.db import transaction

from pairing.models import OutboxEmail, OutboxStatus
from pairing.outbox.delivery import failed_q
from pairing.outbox.queue import outbox_enqueue


def outbox_retry_failed(*, ids: list[int] | None = None) -> int:
    """Put failed emails (all, or those in `ids`) back to pending with fresh attempts and
    queue them; each is still sent once. Returns how many."""
    # Not those the outbox chose not to send (unsubscribed, bounced): nothing to retry.
    failed = OutboxEmail.objects.filter(failed_q())
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    with transaction.atomic():
        chosen = list(failed.select_for_update().values_list("pk", flat=True))
        OutboxEmail.objects.filter(pk__in=chosen).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None, claimed_at=None
        )
        transaction.on_commit(lambda: outbox_enqueue(chosen), robust=True)
    return len(chosen)
