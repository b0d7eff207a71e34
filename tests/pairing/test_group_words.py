"""A learning-set programme reads "Sets of 5" everywhere it is summed up, and its
"what taking part involves" gives the programme's own size, not the kind's range of
4 to 7 (walk 21: the header said "Groups of 5" over "Sets of 4 to 7 members")."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory
from tests.pairing.set_helpers import learning_set_programme

pytestmark = pytest.mark.django_db


def _text(client, url: str) -> str:
    return html.unescape(client.get(url).content.decode())


def test_a_learning_set_programme_is_sets_of_its_size_on_its_page_and_the_list(client):
    programme = learning_set_programme(name="Leeds sets", group_size=6)

    page = _text(client, reverse("pairing:programme_detail", args=[programme.slug]))
    listing = _text(client, reverse("pairing:programme_list"))

    assert "Action learning set · Sets of 6 ·" in page
    assert "Sets of 6 (a few of 5 or 7 when the numbers need it) are formed" in page
    assert "4 to 7" not in page and "Groups of" not in page
    assert "Action learning set · Sets of 6 ·" in listing


def test_coffee_is_still_pairs_and_a_group_programme_groups(client):
    pairs = ProgrammeFactory(name="Pairs", kind="coffee", group_size=2)
    trios = ProgrammeFactory(name="Trios", kind="coffee", group_size=3)

    assert " · Pairs · " in _text(client, reverse("pairing:programme_detail", args=[pairs.slug]))
    assert " · Groups of 3 · " in _text(
        client, reverse("pairing:programme_detail", args=[trios.slug])
    )
