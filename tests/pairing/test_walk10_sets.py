"""Fixes from the tenth browser walk of learning sets: a merge never makes a set bigger
than a set can have, a cycle must start after its sets can be formed, the feedback page
gives the cycle's first session, the old date-keeper is told when a facilitator is
named, the ground rules are in sight on the programme form, and the cycles' programme
filter lists learning-set programmes only."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.sets import services
from pairing.sets.models import LearningSet, SessionStatus
from pairing.sets.selectors import set_member_ids
from pairing.sets.swap_rules import SetError
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme
from tests.pairing.test_learning_set_merge_rules import shrink
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db

TOO_BIG = (
    "Set 1 would have 8 members, more than the 7 a set can have: merge a smaller set, "
    "or move members in the round preview instead."
)


def _state(*sets: LearningSet) -> tuple:
    fresh = [LearningSet.objects.get(pk=s.pk) for s in sets]
    return (
        [set_member_ids(s) for s in fresh],
        [s.merged_into_id for s in fresh],
        [list(s.sessions.values_list("status", "sequence")) for s in fresh],
    )


def _sets_of_five_and_three():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (into, mine) = form_cycle(programme, now=timezone.now())
    shrink(mine, 3)  # 5 + 3 = 8, more than 7
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return mine, into, organiser


def test_a_merge_bigger_than_a_set_can_have_is_refused_and_nothing_changes():
    mine, into, organiser = _sets_of_five_and_three()
    before = _state(mine, into)

    with pytest.raises(SetError) as refused:
        services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    assert TOO_BIG in str(refused.value)
    assert _state(mine, into) == before


def test_the_organisers_page_refuses_a_too_big_merge_before_asking_and_on_a_direct_post():
    mine, into, organiser = _sets_of_five_and_three()
    url = reverse("admin:pairing_cycle_sets", args=[mine.cycle_id])
    merge = {"action": "merge", "set": mine.pk, "into": into.pk}
    client = client_for(organiser)
    before = _state(mine, into)

    asked = client.post(url, merge, follow=True)
    confirmed = client.post(url, {**merge, "confirmed": "yes"}, follow=True)

    for response in (asked, confirmed):
        text = html.unescape(response.content.decode())
        assert TOO_BIG in text
        assert "goes from 5 to 8 members" not in text
        assert 'name="confirmed" value="yes"' not in text
        assert f"Set {mine.number} merged into" not in text
    assert _state(mine, into) == before
    assert not into.sessions.filter(status=SessionStatus.CANCELLED).exists()
