"""The match page says when its members were introduced (or in a set) before, as their
introduction email does (walk 45: only the email said it, so a member who opened the
page from the dashboard did not know)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from pairing.emails.intro import met_before_sentence
from pairing.models import MatchMember
from tests.factories import ProgrammeFactory, UserFactory
from tests.pairing.set_helpers import NOW, form_cycle
from tests.pairing.test_walk14_intro_again import _match, _ran
from tests.pairing.test_walk39_next_cycle import FIRST, _cohort, _next_round

pytestmark = pytest.mark.django_db


def _page(client, user, match) -> str:
    client.force_login(user)
    response = client.get(reverse("pairing:match_detail", args=[match.pk]))
    assert response.status_code == 200
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_a_pair_introduced_again_is_told_when_on_the_page(client):
    programme = ProgrammeFactory()
    ada = UserFactory(profile__display_name="Ada Lovelace")
    ben = UserFactory(profile__display_name="Ben Okri")
    first = _match(_ran(programme, 1, dt.date(2026, 3, 3)), ada, ben)
    again = _match(_ran(programme, 2, dt.date(2026, 9, 1)), ada, ben)

    page = _page(client, ada, again)
    assert "Introduced before You were last introduced in March 2026." in page
    # The first introduction has no history to tell.
    assert "Introduced before" not in _page(client, ada, first)


def test_in_a_group_the_viewer_is_you_and_the_other_pairs_are_named(client):
    programme = ProgrammeFactory(group_size=3)
    ada, ben, cara = (
        UserFactory(profile__display_name=name)
        for name in ("Ada Lovelace", "Ben Okri", "Cara Diaz")
    )
    _match(_ran(programme, 1, dt.date(2026, 3, 3)), ada, ben)
    _match(_ran(programme, 2, dt.date(2026, 5, 5)), ben, cara)
    group = _match(_ran(programme, 3, dt.date(2026, 9, 1)), ada, ben, cara)

    page = _page(client, ada, group)

    assert (
        "Introduced before Ada Lovelace" not in page
        and "Ben Okri and you were last introduced in March 2026. "
        "Ben Okri and Cara Diaz were last introduced in May 2026."
        in page
    )


def test_a_second_cycles_set_says_they_were_in_a_set_together(client):
    programme = _cohort()
    form_cycle(programme, **FIRST)
    second = _next_round(programme, NOW)
    seat = MatchMember.objects.filter(pairing_round=second.forming_round).first()
    page = _page(client, seat.user, seat.match)

    # The cycle as the dashboard and set pages name it (walk 47), the whole set at once.
    assert (
        "In a set together before You were all in a set together in the cycle from "
        "15 December 2026." in page
    )
    assert "last introduced" not in page and "catch up" not in page


def test_a_trio_introduced_together_before_is_one_sentence(client):
    programme = ProgrammeFactory(group_size=3)
    trio = [UserFactory(profile__display_name=n) for n in ("Ada Lovelace", "Ben Okri", "Cara Diaz")]
    _match(_ran(programme, 1, dt.date(2026, 3, 3)), *trio)
    again = _match(_ran(programme, 2, dt.date(2026, 9, 1)), *trio)

    page = _page(client, trio[0], again)

    # Walk 47: three sentences with the same date, one per pair.
    assert "Introduced before You were all last introduced in March 2026. A chance" in page


def test_a_pair_introduced_again_since_a_trio_is_told_pair_by_pair():
    programme = ProgrammeFactory(group_size=3)
    ada, ben, cara = (UserFactory(profile__display_name=n) for n in ("Ada", "Ben", "Cara"))
    _match(_ran(programme, 1, dt.date(2026, 3, 3)), ada, ben, cara)
    _match(_ran(programme, 2, dt.date(2026, 5, 5)), ada, ben)
    again = _match(_ran(programme, 3, dt.date(2026, 9, 1)), ada, ben, cara)
    people = [{"user_id": u.pk, "name": u.profile.display_name} for u in (ada, ben, cara)]

    sentence = met_before_sentence(again, people, today=dt.date(2026, 9, 1))

    assert sentence == (
        "Ada and Cara were last introduced in March 2026. Ben and Cara were last introduced "
        "in March 2026. Ada and Ben were last introduced in May 2026. A chance to catch up "
        "on what has changed since."
    )
