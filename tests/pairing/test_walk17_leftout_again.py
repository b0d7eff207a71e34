"""Walk 17: Hassan was left out in two rounds running although Imogen, whom he had not
met, took part; each time his email promised "You will be first in line next round ...
and we will introduce you then", and the organiser was not told."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from pairing.models import LeftOut, Membership, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from tests.factories import InterestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
START = dt.date(2027, 1, 10)


def _run(programme, day):
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    return rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )


def _email(done, user):
    return build_message(
        OutboxEmail.objects.get(pairing_round=done, user=user, kind=OutboxKind.LEFT_OUT)
    )


@pytest.fixture
def pool(programme):
    """Alice, Bea and Cara (online) meet in round 1 and so have all met each other; then
    Hassan (in person only) and Imogen (either, in his region) join. Imogen is the only
    one Hassan can meet, and she shares far more with the others than with him."""
    shared = [InterestFactory(name=f"Topic {i}") for i in range(4)]
    members = {}
    for name in ("Alice Ng", "Bea Ng", "Cara Ng", "Hassan Khan", "Imogen Reid"):
        user = UserFactory(
            profile__display_name=name,
            profile__meeting_format={"Hassan Khan": "in_person", "Imogen Reid": "either"}.get(
                name, "online"
            ),
            profile__interests=[InterestFactory(name="Archives")]
            if name == "Hassan Khan"
            else shared,
        )
        membership = MembershipFactory(user=user, programme=programme)
        members[name.split()[0].lower()] = user
        if name in ("Hassan Khan", "Imogen Reid"):
            Membership.objects.filter(pk=membership.pk).update(skip_next_round=True)
    first = _run(programme, START)
    assert first.matches.count() == 1 and not first.left_out.exists()
    return members


def test_a_member_left_out_is_promised_priority_not_an_introduction(programme, pool):
    programme.next_round_on = START + dt.timedelta(weeks=8)
    programme.save()
    done = _run(programme, START + dt.timedelta(weeks=4))

    assert LeftOut.objects.filter(pairing_round=done, user=pool["hassan"]).exists()
    message = _email(done, pool["hassan"])
    body = message.body
    assert "first in line" not in body and "introduce you then" not in body
    assert (
        "Next round, on 7 March 2027, you have priority: the matching prefers to introduce "
        "you, though it first matches as many members as it can." in body
    )
    assert "first next time" not in message.subject
    assert "(you have priority next time)" in message.subject
    html = message.alternatives[0][0]
    assert "first in line" not in html and "you have priority" in html
