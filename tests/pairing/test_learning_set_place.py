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


def _formed_sets_with_mixed_formats(**cycle: object):
    """Two sets of a formed cycle (no other cycle waiting); then the one member left in
    set 2 says "in person only" (London) and set 1's members "online only"."""
    from django.utils import timezone

    from members.models import Profile, User
    from pairing.sets.models import SetLeaver
    from pairing.sets.selectors import set_member_ids

    programme = learning_set_programme(group_size=4, avoid_same_organisation=False)
    join(programme, 8, meeting_format="either", region="london")
    _cycle, (into, mine) = form_cycle(programme, **cycle)
    SetLeaver.objects.bulk_create(
        SetLeaver(learning_set=mine, user_id=user_id, left_at=timezone.now())
        for user_id in set_member_ids(mine)[1:]
    )
    Profile.objects.filter(user_id=set_member_ids(mine)[0]).update(meeting_format="in_person")
    Profile.objects.filter(user_id__in=set_member_ids(into)).update(meeting_format="online")
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return mine, into, organiser


def test_a_merge_in_an_online_cycle_is_not_refused_on_the_members_formats():
    # The merged cycle meets online whatever its members said; no next cycle is set up
    # yet, so the programme's waiting cycle (none) must not decide the place.
    from django.utils import timezone

    from pairing.sets import services
    from pairing.sets.selectors import set_member_ids

    mine, into, organiser = _formed_sets_with_mixed_formats(
        venue="", online_link="https://meet.example.org/s"
    )
    mover = set_member_ids(mine)[0]

    services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    assert mover in set_member_ids(into)


def test_a_merge_in_a_cycle_with_no_place_still_keeps_the_members_formats():
    from django.utils import timezone

    from pairing.sets import services
    from pairing.sets.swap_rules import SetError

    mine, into, organiser = _formed_sets_with_mixed_formats(venue="", online_link="")

    with pytest.raises(SetError, match="cannot be merged"):
        services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())
