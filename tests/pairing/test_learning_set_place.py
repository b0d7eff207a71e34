"""A learning set's cycle says where its sets meet: members are grouped for that place,
not split by their own meeting formats (an online cycle does not keep "in person only"
members from their colleagues elsewhere)."""

from __future__ import annotations

import pytest

from pairing.models import LeftOut
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _cohort():
    programme = learning_set_programme(group_size=5, avoid_same_organisation=False)
    join(programme, 3, meeting_format="in_person", region="london")
    join(programme, 3, meeting_format="either", region="wales")
    return programme


def test_an_online_cycle_groups_members_whatever_format_they_chose():
    programme = _cohort()

    _cycle, sets = form_cycle(programme, venue="", online_link="https://meet.example.org/s")

    assert [s.match.members.count() for s in sets] == [6]
    assert not LeftOut.objects.exists()


def test_a_cycle_at_a_venue_groups_everyone_who_comes_there():
    programme = _cohort()

    _cycle, sets = form_cycle(programme, venue="Leeds Central Library", online_link="")

    assert [s.match.members.count() for s in sets] == [6]


def test_with_no_place_yet_the_members_formats_still_decide():
    programme = _cohort()

    _cycle, sets = form_cycle(programme, venue="", online_link="")

    # In person only (London) and either (Wales) cannot meet: no set of six.
    assert sorted(s.match.members.count() for s in sets) != [6]


def test_the_preview_says_members_are_grouped_for_the_cycles_place():
    from django.urls import reverse
    from django.utils import timezone

    from pairing.models import Round
    from pairing.sets.models import Cycle
    from tests.pairing.test_round_admin import _organiser_of

    programme = _cohort()
    Cycle.objects.create(
        programme=programme,
        first_session_on=timezone.localdate(),
        online_link="https://meet.example.org/s",
    )
    client = _organiser_of(programme)
    client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    draft = Round.objects.get(programme=programme)

    body = client.get(reverse("admin:pairing_round_preview", args=[draft.pk])).content.decode()

    assert "Members are grouped for that place, whatever meeting format" in body
