"""Walk 12: a round's delivery page counts the emails the outbox chose not to send
(unsubscribed, bouncing) apart from failures; a member's dashboard no longer lists a
learning set they left as a current introduction, nor those who left it as co-members."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from pairing.models import OutboxEmail, OutboxKind, OutboxStatus
from pairing.outbox.consent import NOT_SENT
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round, send_intro

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    body = re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode()))
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", body))


@pytest.fixture
def delivered_round():
    """A round of four introductions: three sent, one not sent because the member had
    unsubscribed from introductions."""
    programme = ProgrammeFactory(name="Coffee")
    pairing_round = make_round(programme, 1)
    matches = [make_match(pairing_round, UserFactory(), UserFactory()) for _ in range(4)]
    for match in matches:
        send_intro(match)
    OutboxEmail.objects.filter(kind=OutboxKind.INTRO, match=matches[3]).update(
        status=OutboxStatus.FAILED,
        last_error=f"{NOT_SENT}the member unsubscribed from introductions",
    )
    return pairing_round, matches


def _progress(client, pairing_round) -> str:
    url = reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    return _text(client.get(url))


def test_an_email_not_sent_on_purpose_is_counted_apart_never_as_failed(
    organiser_client, delivered_round
):
    pairing_round, _ = delivered_round

    text = _progress(organiser_client, pairing_round)

    assert (
        "Introductions and notices delivered: 3 of 4, 1 not sent (unsubscribed or bouncing)."
        in text
    )
    assert "failed" not in text.lower()
    # The match's own row says why, not "Failed".
    assert "Not sent: the member unsubscribed from introductions" in text
    assert "every introduction and notice has been handled" in text


def test_a_real_failure_is_still_counted_as_failed_next_to_those_not_sent(
    organiser_client, delivered_round
):
    pairing_round, matches = delivered_round
    OutboxEmail.objects.filter(kind=OutboxKind.INTRO, match=matches[0]).update(
        status=OutboxStatus.FAILED, last_error="535 bad password"
    )

    text = _progress(organiser_client, pairing_round)

    assert "delivered: 2 of 4, 1 failed, 1 not sent (unsubscribed or bouncing)." in text
    assert "Failed (535 bad password)" in text
