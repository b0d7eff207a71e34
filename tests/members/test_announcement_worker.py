"""An announcement and invitations delivered by a real Celery worker (Redis, PostgreSQL, an
SMTP sink): each recipient gets exactly one email, even when "Send" is pressed twice."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from members.invitations import services
from members.invitations.reading import read_pasted
from pairing.models import OutboxEmail, OutboxStatus
from tests.factories import MembershipFactory, UserFactory
from tests.integration import conftest as integration

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
# The real services (Redis broker, PostgreSQL, an embedded worker, an SMTP sink) are the
# integration tests' fixtures, used here as they are.
postgres = integration.postgres
redis_test_url = integration.redis_test_url
broker = integration.broker
sink = integration.sink
embedded_worker = integration.embedded_worker


def _wait_for_all_sent(smtp, count: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = set(OutboxEmail.objects.values_list("status", flat=True))
        if statuses == {OutboxStatus.SENT} and smtp.count() >= count:
            return True
        time.sleep(0.1)
    return False


def test_an_announcement_reaches_each_active_member_once_through_a_real_worker(
    programme, organiser, sink, embedded_worker
):
    members = [UserFactory(email=f"reader{n}@example.org") for n in range(6)]
    for user in members:
        MembershipFactory(user=user, programme=programme)

    with embedded_worker():
        for _press in range(2):  # a double click on "Send"
            services.announcement_send(
                programme=programme,
                subject="Summer social",
                body="Leeds, 3 July.",
                nonce="x",
                by=organiser,
            )
        delivered = _wait_for_all_sent(sink, len(members))

    assert delivered, Counter(OutboxEmail.objects.values_list("status", flat=True))
    time.sleep(0.5)  # anything sent twice would have arrived by now
    received = Counter(address for m in sink.snapshot() for address in m.rcpt_tos)
    assert received == Counter(user.email for user in members)
    for message in sink.snapshot():
        assert message.message["Subject"] == f"Summer social \u2014 {programme.name}"
        assert "/email/unsubscribe/" in message.message["List-Unsubscribe"]


def test_invitations_reach_each_address_once_through_a_real_worker(
    programme, organiser, sink, embedded_worker
):
    reading = read_pasted("Ada <ada@example.org>\ngrace@example.org\nkatherine@example.org")
    invitation_import = services.invitation_import_create(
        programme=programme, reading=reading, source="pasted", by=organiser
    )

    with embedded_worker():
        services.invitation_import_send(invitation_import=invitation_import, by=organiser)
        services.invitation_import_send(invitation_import=invitation_import, by=organiser)
        delivered = _wait_for_all_sent(sink, 3)

    assert delivered, Counter(OutboxEmail.objects.values_list("status", flat=True))
    time.sleep(0.5)
    received = Counter(address for m in sink.snapshot() for address in m.rcpt_tos)
    assert received == Counter(["ada@example.org", "grace@example.org", "katherine@example.org"])
    for message in sink.snapshot():
        assert "/invitations/never/" in message.message["List-Unsubscribe"]
