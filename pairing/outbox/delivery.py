"""How outbox rows went, in the words every organiser page uses: sent, failed, waiting,
and not sent on purpose (the member unsubscribed, or the address bounces). A row the
outbox chose not to send is FAILED with a reason starting `NOT_SENT`: it is never counted
as failed, nor offered for "try again" (`retry.outbox_retry_failed`)."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from pairing.models import OutboxEmail, OutboxStatus
from pairing.outbox.consent import NOT_SENT


def not_sent_q() -> Q:
    """Rows not sent on purpose: unsubscribed or bouncing."""
    return Q(status=OutboxStatus.FAILED, last_error__startswith=NOT_SENT)


def failed_q() -> Q:
    """Rows that failed every attempt: worth trying again."""
    return Q(status=OutboxStatus.FAILED) & ~Q(last_error__startswith=NOT_SENT)


def delivery_counts() -> dict[str, Count]:
    """Aggregates for `.aggregate(**delivery_counts())`: total, sent, failed, not_sent and
    waiting (pending or being sent)."""
    return {
        "total": Count("pk"),
        "sent": Count("pk", filter=Q(status=OutboxStatus.SENT)),
        "failed": Count("pk", filter=failed_q()),
        "not_sent": Count("pk", filter=not_sent_q()),
        "waiting": Count("pk", filter=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])),
    }


def with_not_sent(emails: QuerySet[OutboxEmail]) -> QuerySet[OutboxEmail]:
    """Each row with `not_sent`: True when the outbox chose not to send it."""
    return emails.annotate(not_sent=ExpressionWrapper(not_sent_q(), output_field=BooleanField()))
