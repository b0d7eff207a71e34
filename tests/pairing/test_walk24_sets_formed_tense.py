"""Walk 24: a learning set's forming day in the right tense: "sets will be formed on"
before the day, "sets formed on" from it (the programme page's line); the commitment's
"Sets of 5 ... will be / are / were formed on". A pairs programme keeps "next round"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.commitment import commitment
from pairing.templatetags.programme_words import next_date
from tests.factories import ProgrammeFactory
from tests.pairing.set_helpers import learning_set_programme

pytestmark = pytest.mark.django_db


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_sets_will_be_formed_on_a_date_still_to_come():
    day = _day(3)
    programme = learning_set_programme(next_round_on=day)

    assert next_date(programme) == f"sets will be formed on {day:%-d %B %Y}"
    assert f"will be formed on {day:%-d %B %Y}" in commitment(programme)


@pytest.mark.parametrize("days", [0, -2])
def test_sets_formed_on_today_or_a_day_gone(days):
    day = _day(days)
    programme = learning_set_programme(next_round_on=day)

    assert next_date(programme) == f"sets formed on {day:%-d %B %Y}"
    assert "will be formed" not in commitment(programme)


def test_the_commitment_says_sets_are_formed_today_and_were_formed_on_a_past_day():
    today, before = _day(0), _day(-2)

    assert f"are formed on {today:%-d %B %Y}" in commitment(
        learning_set_programme(next_round_on=today)
    )
    assert f"were formed on {before:%-d %B %Y}" in commitment(
        learning_set_programme(next_round_on=before)
    )


def test_the_programme_page_says_when_sets_will_be_formed(client):
    day = _day(10)
    programme = learning_set_programme(next_round_on=day)

    page = client.get(reverse("pairing:programme_detail", args=[programme.slug])).content.decode()

    assert f"· sets will be formed on {day:%-d %B %Y}</p>" in page


def test_a_pairs_programme_still_gives_its_next_round():
    day = _day(3)

    assert next_date(ProgrammeFactory(next_round_on=day)) == f"next round {day:%-d %B %Y}"
