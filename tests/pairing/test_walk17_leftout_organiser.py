"""Walk 17: the organiser's pages showed a left-out member's reason as written to the
member ("... who could be matched with you ...: you are first in line next round")."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from pairing import rounds
from pairing.rounds.unplaced import for_organisers
from tests.pairing.test_walk17_leftout_again import START, _run, pool  # noqa: F401

pytestmark = pytest.mark.django_db
YOU = re.compile(r"\byou(r)?\b", re.IGNORECASE)


def test_the_preview_says_why_in_the_third_person(organiser_client, programme, pool):  # noqa: F811
    pairing_round = rounds.round_plan(
        programme=programme, scheduled_for=START + dt.timedelta(weeks=4)
    )

    page = organiser_client.get(reverse("admin:pairing_round_preview", args=[pairing_round.pk]))

    body = html.unescape(page.content.decode())
    row = re.search(r"<tr><td>Hassan Khan</td><td>([^<]*)</td><td>([^<]*)</td>", body)
    assert row, "Hassan Khan is not in the unplaced table"
    why, told = row.groups()
    assert why == (
        "Everyone taking part this round who could be matched with them already had a "
        "partner; priority next round."
    )
    assert told.startswith("\u201cEveryone taking part this round who could be matched with you")


def test_the_round_page_names_what_the_member_was_told(organiser_client, programme, pool):  # noqa: F811
    done = _run(programme, START + dt.timedelta(weeks=4))

    page = organiser_client.get(reverse("admin:pairing_round_progress", args=[done.pk]))

    body = html.unescape(page.content.decode())
    assert (
        "Hassan Khan was told: \u201cEveryone taking part this round who could be matched "
        "with you already had a partner: you have priority next round.\u201d"
    ) in body


@pytest.mark.parametrize(
    ("told", "read"),
    [
        (
            "everyone taking part this round who could be matched with you already had a "
            "partner: you have priority next round",
            "everyone taking part this round who could be matched with them already had a "
            "partner; priority next round",
        ),
        (
            "everyone taking part this round who could be matched with you already had a "
            "partner. This is the second round running that we could not match you, and the "
            "organisers have been told",
            "everyone taking part this round who could be matched with them already had a "
            "partner. This is the second round running they could not be matched",
        ),
        (
            "nobody else meets in person in your region this round: choose online or either "
            "to be matched",
            "nobody else meets in person in their region this round: they could choose online "
            "or either to be matched",
        ),
        (
            "nobody taking part this round could be matched with you (the same organisation, "
            "the meeting format, or an earlier choice): we will introduce you as soon as "
            "someone who can be matched with you takes part",
            "nobody taking part this round could be matched with them (the same organisation, "
            "the meeting format, or an earlier choice): they will be introduced as soon as "
            "someone who can be matched with them takes part",
        ),
        (
            "you have met everyone in this programme who is taking part this round: the "
            "programme does not repeat partners, so you will be introduced when someone new "
            "joins",
            "they have met everyone in this programme who is taking part this round: the "
            "programme does not repeat partners, so they will be introduced when someone new "
            "joins",
        ),
        (
            "more members offered mentoring than asked for a mentor this round: you are first "
            "in line when someone asks for one",
            "more members offered mentoring than asked for a mentor this round: they are first "
            "in line when someone asks for one",
        ),
    ],
)
def test_reasons_read_in_the_third_person_for_organisers(told, read):
    assert for_organisers(told) == read
    assert not YOU.search(for_organisers(told))
