"""Walk 14: an introduction of people introduced before says they were introduced (not
that they met), and says "earlier today" for a round run straight after another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pairing import rounds
from pairing.emails.intro import met_before_sentence
from pairing.models import Match, MatchMember, OutboxEmail, OutboxKind, Round
from pairing.outbox import build_message
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ran(programme, number: int, on: dt.date) -> Round:
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=on,
        status="done",
        seed=number,
        finished_at=timezone.make_aware(dt.datetime.combine(on, dt.time(12))),
    )


def _match(pairing_round: Round, *users) -> Match:
    match = Match.objects.create(pairing_round=pairing_round)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def _people(*users) -> list[dict]:
    return [{"user_id": u.pk, "name": u.profile.display_name} for u in users]


def test_a_round_run_straight_after_another_says_they_were_introduced_earlier_today():
    # Round 3 ran on its day; round 4 was run early, the same day, with the same two.
    programme = ProgrammeFactory(repeat_window=None, randomness=0)
    for _ in range(2):
        MembershipFactory(user=UserFactory(), programme=programme)
    now = timezone.now()
    today = timezone.localdate(now)
    for planned in (today, today + dt.timedelta(days=28)):
        pairing_round = rounds.round_plan(programme=programme, scheduled_for=planned)
        rounds.round_preview(pairing_round=pairing_round, today=today, reshuffle=True)
        rounds.round_run(pairing_round=pairing_round, now=now)

    row = OutboxEmail.objects.get(
        match__pairing_round__scheduled_for=today + dt.timedelta(days=28), kind=OutboxKind.INTRO
    )
    message = build_message(row)
    body = message.body
    html = message.alternatives[0][0]

    assert "You were also introduced earlier today." in body
    assert "last met" not in body
    assert "Introduced before</h2>" in html and "Meeting again" not in html
    assert "catch up on what has changed since" not in body


def test_an_introduction_earlier_in_the_month_says_earlier_this_month():
    programme = ProgrammeFactory()
    ada, ben = UserFactory(), UserFactory()
    _match(_ran(programme, 1, dt.date(2026, 12, 1)), ada, ben)
    again = _match(_ran(programme, 2, dt.date(2026, 12, 15)), ada, ben)

    sentence = met_before_sentence(again, _people(ada, ben), today=dt.date(2026, 12, 15))

    assert sentence == (
        "You were last introduced earlier this month. "
        "A chance to catch up on what has changed since."
    )


def test_an_earlier_month_names_the_month_they_were_introduced():
    programme = ProgrammeFactory()
    ada, ben = UserFactory(), UserFactory()
    _match(_ran(programme, 1, dt.date(2026, 3, 10)), ada, ben)
    again = _match(_ran(programme, 2, dt.date(2026, 12, 6)), ada, ben)

    sentence = met_before_sentence(again, _people(ada, ben), today=dt.date(2026, 12, 6))

    assert sentence.startswith("You were last introduced in March 2026.")


def test_a_group_names_the_pair_introduced_earlier_today():
    programme = ProgrammeFactory(group_size=3)
    ada = UserFactory(profile__display_name="Gráinne Byrne")
    ben = UserFactory(profile__display_name="Quentin Blake")
    cat = UserFactory(profile__display_name="Ada Lovelace")
    today = dt.date(2026, 12, 6)
    _match(_ran(programme, 3, today), ada, ben)
    again = _match(_ran(programme, 4, today + dt.timedelta(days=28)), ada, ben, cat)

    sentence = met_before_sentence(again, _people(ada, ben, cat), today=today)

    assert sentence == "Gráinne Byrne and Quentin Blake were also introduced earlier today."
