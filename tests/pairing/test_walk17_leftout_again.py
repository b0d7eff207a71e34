"""Walk 17: Hassan was left out in two rounds running although Imogen, whom he had not
met, took part; each time his email promised "You will be first in line next round ...
and we will introduce you then", and the organiser was not told."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from pairing import rounds
from pairing.models import LeftOut, Membership, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.rounds.unplaced import told_again
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


def _preview_body(client, programme, day):
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    page = client.get(reverse("admin:pairing_round_preview", args=[pairing_round.pk]))
    return html.unescape(page.content.decode())


def test_the_preview_tells_the_organiser_who_is_left_out_again(organiser_client, programme, pool):
    second = _run(programme, START + dt.timedelta(weeks=4))
    assert LeftOut.objects.filter(pairing_round=second, user=pool["hassan"]).exists()

    body = _preview_body(organiser_client, programme, START + dt.timedelta(weeks=8))

    note = re.search(r"Left out again: ([^<]*)", body)
    assert note, "no 'Left out again' note in the preview"
    assert "Hassan Khan" in note.group(1)
    assert "also left out in round 2." in note.group(1)
    assert "move them into a group under \u201cEdit the groups\u201d" in note.group(1)


def test_no_left_out_again_note_for_a_member_placed_last_round(organiser_client, programme, pool):
    body = _preview_body(organiser_client, programme, START + dt.timedelta(weeks=4))

    assert "Left out again" not in body


def test_the_second_left_out_email_says_so_and_that_the_organisers_know(programme, pool):
    second = _run(programme, START + dt.timedelta(weeks=4))
    third = _run(programme, START + dt.timedelta(weeks=8))

    assert LeftOut.objects.filter(pairing_round=third, user=pool["hassan"]).exists()
    again = (
        "This is the second round running that we could not match you, and the organisers "
        "have been told."
    )
    body = _email(third, pool["hassan"]).body
    assert again in body
    assert "you have priority" in body  # what priority does is still said
    assert "round running" not in _email(second, pool["hassan"]).body


def test_a_long_reason_told_again_reads_whole():
    longest = (
        "an odd number of members are taking part this round, so one is left without a "
        "partner, and the rules (the same organisation, the meeting format, meeting before, "
        "or an earlier choice) kept you out of every pair that could have become a three: "
        "you have priority next round"
    )
    item = {"id": "1", "reason": longest, "cause": "odd one out", "first_in_line": True}

    reason = told_again(item, 1)["reason"]

    # The rules in brackets once gave way to fit 300 characters; the reason is kept whole
    # now (walk 47), so nothing is dropped.
    assert reason == (
        "an odd number of members are taking part this round, so one is left without a "
        "partner, and the rules (the same organisation, the meeting format, meeting before, "
        "or an earlier choice) kept you out of every pair that could have become a three. "
        "This is the second round running that we could not match you, and the organisers "
        "have been told"
    )
    assert told_again({**item, "first_in_line": False}, 1) == {**item, "first_in_line": False}
    assert "third round running" in told_again(item, 2)["reason"]
