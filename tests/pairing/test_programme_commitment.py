"""A programme's page says what taking part involves before anyone joins: how often,
for how long, and what the kind asks (a strategy by a date, a series of sessions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pairing.sets.models import Cycle
from tests.factories import ProgrammeFactory
from tests.pairing.set_helpers import learning_set_programme

pytestmark = pytest.mark.django_db


def _page(client, programme) -> str:
    return client.get(reverse("pairing:programme_detail", args=[programme.slug])).content.decode()


def test_a_learning_set_page_gives_the_cycle_it_commits_to(client):
    programme = learning_set_programme(next_round_on=dt.date(2036, 12, 20))
    Cycle.objects.create(
        programme=programme,
        sessions=6,
        interval_weeks=8,
        session_minutes=180,
        first_session_on=dt.date(2037, 1, 12),
        online_link="https://meet.example.org/sets",
    )

    body = _page(client, programme)

    assert "What taking part involves" in body
    assert (
        "Sets of 5 (a few of 4 or 6 when the numbers need it) will be formed on 20 December 2036, "
        "and each set meets 6 times, "
        "3 hours each, every 8 weeks from the week starting Monday 12 January 2037 "
        "online."
    ) in body
    assert "sets will be formed on 20 December 2036" in body
    assert "next round 20 December 2036" not in body


def test_a_learning_set_without_a_cycle_says_the_dates_come_before_forming(client):
    programme = learning_set_programme(next_round_on=None)

    body = _page(client, programme)

    assert "are formed when the organisers start the next cycle" in body
    assert "the organisers give the dates before the sets are formed" in body


def test_a_search_review_page_says_when_the_strategy_is_due(client):
    programme = ProgrammeFactory(kind="search_review", strategy_due_days=5, cadence_days=28)

    body = _page(client, programme)

    assert "Within 5 days of the introduction, each of you shares a" in body
    assert "PRESS 2015" in body
    assert "then meet for 45 minutes to talk the reviews through" in body


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("coffee", "(sometimes two) to talk for 30 minutes at a time you agree"),
        ("mentoring", "a mentor at least as experienced, to talk for 45 minutes"),
    ],
)
def test_pairs_programmes_say_how_often_and_how_long(client, kind, words):
    programme = ProgrammeFactory(kind=kind, cadence_days=28)

    body = _page(client, programme)

    assert "Each round (every four weeks)" in body
    assert words in body


def test_a_learning_set_on_the_dashboard_says_when_new_sets_form(member_client, member):
    from tests.factories import MembershipFactory

    programme = learning_set_programme(next_round_on=dt.date(2026, 12, 20))
    MembershipFactory(user=member, programme=programme)

    body = member_client.get(reverse("members:dashboard")).content.decode()

    assert "New sets form on 20 December 2026" in body
    assert "Next cycle: 20 December 2026" not in body
