"""Claim outbox rows and send them, each exactly once, over one SMTP connection."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import mailers
from django.db.models import F
from django.utils import timezone

from members.mailing import bounce_record
from members.models import BounceKind
from pairing.models import OutboxEmail, OutboxStatus
from pairing.outbox.consent import NOT_SENT, recipients_allowed
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
            # A planned round's draft can be large; an email never needs it.
            row = (
                OutboxEmail.objects.select_related("match", "user", "pairing_round")
                .defer("pairing_round__draft")
                .get(pk=pk)
            )
            try:
                try:
                    message = build_message(row)
                except ObjectDoesNotExist as error:
                    # What the email told of is gone (a swap withdrawn with its set, say):
                    # no retry brings it back, so it is marked, not retried for ever.
                    _not_sent(row, f"{NOT_SENT}what it was about no longer exists ({error})")
                    continue
                # Unsubscribed kinds and bounced addresses: marked, never silently dropped.
                message.to, why = recipients_allowed(row, message.to)
                if not message.to:
                    _not_sent(row, why)
                    continue
                # Opening here, not before the loop, puts a refused connection on this row.
                connection.open()
                connection.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                if not _refused_permanently(row, message.to, error) and _release(row, error):
                    failed.append(pk)
                continue
            except Exception as error:  # any failure: put the row back, retry later
                if _release(row, error):
                    failed.append(pk)
                continue
            OutboxEmail.objects.filter(pk=pk).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=why
            )
    finally:
        connection.close()
    return failed


def _not_sent(row: OutboxEmail, why: str) -> None:
    # FAILED with the reason in words (no retry will change it); `NOT_SENT` starts it.
    logger.info("Email %s not sent: %s", row.key, why)
    OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED, last_error=why)


def _refused_permanently(row: OutboxEmail, to: list[str], error: smtplib.SMTPException) -> bool:
    """A 5xx refusal will not change on retry: record the bounce, mark the row not sent.
    (smtplib raises SMTPRecipientsRefused only when every recipient was refused.)"""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.items())
    else:  # a 5xx after DATA names no address: only a message to one is that address's
        replies = [(address, (error.smtp_code, error.smtp_error)) for address in to]
    if not replies or any(not 500 <= code < 600 for _address, (code, _text) in replies):
        return False  # a 4xx is temporary: retry
    for address, (code, text) in replies:
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        detail = f"{code} {text}".strip()
        if len(replies) == 1 or isinstance(error, smtplib.SMTPRecipientsRefused):
            bounce_record(email=address, kind=BounceKind.BOUNCED, detail=detail, source="smtp")
    _not_sent(row, f"{NOT_SENT}refused permanently by the mail server ({detail})")
    return True


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
