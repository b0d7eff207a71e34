"""Walks 38 and 39: a learning set's preview said "1 group", "Lock group 1" and "Edit the
groups" beside "This saves 1 set"; it now speaks of sets throughout, in its messages too.
A coffee programme's preview keeps its groups."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from pairing.models import Round
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.pairing.set_helpers import join, learning_set_programme
from tests.pairing.test_round_admin import _organiser_of

pytestmark = pytest.mark.django_db


def _preview(programme):
    client = _organiser_of(programme)
    client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    draft = Round.objects.get(programme=programme)
    return client, reverse("admin:pairing_round_preview", args=[draft.pk])


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_a_learning_set_preview_speaks_of_sets():
    programme = learning_set_programme(group_size=4, avoid_same_organisation=False)
    join(programme, 8)
    client, url = _preview(programme)

    page = _text(client.get(url))
    locked = client.post(url, {"action": "lock", "group": "0"}, follow=True)

    assert "2 sets, 0 unplaced" in page
    for words in ("Lock set 1", "Lock set 2", "Edit the sets", "Move a member to another set",
                  "To set", "Swap two members between sets", "Reshuffle the unlocked sets",
                  "Edit or reshuffle the sets"):  # fmt: skip
        assert words in page, words
    assert "group" not in page.split("Nothing has been saved")[0].lower()
    assert "Preview updated: Set 1 locked: a reshuffle keeps it as it is." in _text(locked)
    assert "Unlock set 1" in _text(locked)


def test_a_coffee_preview_keeps_its_groups():
    programme = ProgrammeFactory(avoid_same_organisation=False)
    for _ in range(4):
        MembershipFactory(programme=programme)
    client, url = _preview(programme)

    page = _text(client.get(url))
    locked = client.post(url, {"action": "lock", "group": "0"}, follow=True)

    assert "2 groups, 0 unplaced" in page and "Lock group 1" in page
    assert "Preview updated: Group 1 locked: a reshuffle keeps it as it is." in _text(locked)


def test_a_reason_in_a_learning_sets_words_keeps_grouped_with():
    from pairing.rounds.unplaced import in_round_words

    reason = (
        "The groups with room this round each had someone you cannot be grouped with, "
        "and too few were left over to form another group: you have priority next round"
    )

    assert in_round_words(reason, "cycle", "set") == (
        "The sets with room this cycle each had someone you cannot be grouped with, "
        "and too few were left over to form another set: you have priority next cycle"
    )
    assert in_round_words(reason, "round") == reason


def test_left_out_twice_running_is_in_cycles_for_a_learning_set():
    # Walk 41: "This is the second round running" beside "this cycle" and "sets".
    from pairing.rounds.unplaced import AGAIN, for_organisers, in_round_words

    told = f"The sets with room this round were full. This is the second {AGAIN}"

    assert in_round_words(told, "cycle", "set").endswith(
        "This is the second cycle running that we could not match you, and the organisers "
        "have been told"
    )
    assert in_round_words(for_organisers(told), "cycle", "set").endswith(
        "This is the second cycle running they could not be matched"
    )
