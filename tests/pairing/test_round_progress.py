"""A round's delivery page counts the emails the run itself sent: each match's
introduction and the notice to each member it could not place. Emails that come later
about the same matches (shared search strategies, reviews, "did you meet?") and the
day-before notice are not introductions and notices of the run."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pairing.models import OutboxEmail, OutboxKind, OutboxStatus
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round, send_intro

pytestmark = pytest.mark.django_db

LATER = [
    OutboxKind.STRATEGY_SHARED,
    OutboxKind.REVIEW_RECEIVED,
    OutboxKind.STRATEGY_REMINDER,
    OutboxKind.FOLLOWUP,
    OutboxKind.REMINDER,
]


def _text(response) -> str:
    assert response.status_code == 200
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", body))


def _email(kind, pairing_round, n, *, match=None, status=OutboxStatus.SENT) -> OutboxEmail:
    return OutboxEmail.objects.create(
        key=f"{kind}:{pairing_round.pk}:{n}",
        kind=kind,
        pairing_round=pairing_round,
        match=match,
        user=UserFactory(),
        status=status,
    )


@pytest.fixture
def review_round():
    """A search-strategy review round that ran: 2 introductions and 1 left-out notice,
    all delivered, after a day-before notice to the 5 members."""
    programme = ProgrammeFactory(name="Search review", kind="search_review")
    pairing_round = make_round(programme, 1)
    matches = [make_match(pairing_round, UserFactory(), UserFactory()) for _ in range(2)]
    for match in matches:
        send_intro(match)
    _email(OutboxKind.LEFT_OUT, pairing_round, 1)
    for n in range(5):
        _email(OutboxKind.NOTICE, pairing_round, n)
    return pairing_round, matches


def _progress(client, pairing_round) -> str:
    return _text(client.get(reverse("admin:pairing_round_progress", args=[pairing_round.pk])))


def test_the_run_counts_its_introductions_and_left_out_notices(organiser_client, review_round):
    pairing_round, _ = review_round

    assert "Introductions and notices delivered: 3 of 3." in _progress(
        organiser_client, pairing_round
    )


def test_later_emails_about_the_rounds_matches_are_not_counted(organiser_client, review_round):
    pairing_round, matches = review_round
    for n, kind in enumerate(LATER * 2):
        _email(kind, pairing_round, n, match=matches[n % 2])
    # One of them waiting to be sent: the run itself is finished, the page stops refreshing.
    _email(OutboxKind.FOLLOWUP, pairing_round, 99, match=matches[0], status="pending")

    response = organiser_client.get(
        reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    )
    text = _text(response)

    assert "Introductions and notices delivered: 3 of 3." in text
    assert "every introduction and notice has been handled" in text
    assert 'http-equiv="refresh"' not in response.content.decode()


def test_a_failed_introduction_is_counted_but_a_failed_reminder_is_not(
    organiser_client, review_round
):
    pairing_round, matches = review_round
    OutboxEmail.objects.filter(kind=OutboxKind.INTRO, match=matches[0]).update(
        status=OutboxStatus.FAILED
    )
    _email(OutboxKind.REMINDER, pairing_round, 1, match=matches[1], status=OutboxStatus.FAILED)

    text = _progress(organiser_client, pairing_round)

    assert "Introductions and notices delivered: 2 of 3, 1 failed." in text
