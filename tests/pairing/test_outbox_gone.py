"""Found by the lifecycle machine (random years): a learning set's "swap accepted" email
whose swap was deleted before it was sent (the swap went with its set) could not be
rendered ("RotaSwap matching query does not exist."), so it was retried six times and
its send task raised in the tick. An email about something that no longer exists is
marked "Not sent" with the reason, once, and never retried."""

from __future__ import annotations

import pytest

from pairing.models import OutboxKind, OutboxStatus
from pairing.outbox import outbox_send_pending
from pairing.outbox.consent import NOT_SENT
from pairing.outbox.sending import outbox_send_batch
from pairing.sets import services
from pairing.sets.models import RotaSwap
from tests.pairing.set_helpers import NOW, rows
from tests.pairing.test_learning_set_updates import _five, _presenter

pytestmark = pytest.mark.django_db


def test_an_email_about_a_swap_that_no_longer_exists_is_marked_not_sent():
    learning_set, _users, sessions = _five()
    proposer, partner = _presenter(sessions[6]), _presenter(sessions[3])
    swap = services.swap_propose(
        learning_set=learning_set,
        proposer=proposer,
        my_session=sessions[6],
        partner=partner,
        their_session=sessions[3],
        now=NOW,
    )
    services.swap_decide(swap=swap, by=partner, accept=True, now=NOW)
    (accepted,) = rows(OutboxKind.SET_NOTICE, user=proposer, key__contains="swap_accepted")
    outbox_send_pending(now=NOW)  # everything else goes
    accepted.refresh_from_db()
    accepted.status = OutboxStatus.PENDING
    accepted.save(update_fields=["status"])
    RotaSwap.objects.filter(pk=swap.pk).delete()

    failed = outbox_send_batch(ids=[accepted.pk], now=NOW)

    accepted.refresh_from_db()
    assert failed == []  # not put back for a retry
    assert accepted.status == OutboxStatus.FAILED
    assert accepted.last_error.startswith(NOT_SENT + "what it was about no longer exists")
