"""Walk 15: an earlier round's search review stays current on the dashboard only while
the member owes something to someone who remains; a member who left owes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairing.models import MatchMember, MembershipStatus
from pairing.selectors import matches_for_member
from tests.factories import MembershipFactory, UserFactory
from tests.pairing.test_walk14_dashboard import (
    _match,
    _ran,
    _review_programme,
    _sections,
    _shared,
)

pytestmark = pytest.mark.django_db


def _left(user, programme) -> None:
    MembershipFactory(user=user, programme=programme, status=MembershipStatus.LEFT)


def test_dashboard_moves_an_earlier_review_to_past_when_the_partner_left(
    member_client, member, other_member
):
    # Eilidh's round-2 partner left; her share is still "due" in 3 days, for nobody.
    today = timezone.localdate()
    programme = _review_programme()
    MembershipFactory(user=member, programme=programme)
    _match(_ran(programme, 2, today - dt.timedelta(days=2)), member, other_member)
    _match(_ran(programme, 3, today), member, UserFactory())
    _left(other_member, programme)

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, past = _sections(html)
    assert "round 2: Grace Hopper" in past
    assert "round 2" not in current
    assert "Share your search strategy by" not in past


def test_dashboard_asks_no_review_of_a_strategy_shared_by_a_partner_who_left(
    member_client, member, other_member
):
    today = timezone.localdate()
    programme = _review_programme()
    earlier = _match(_ran(programme, 2, today - dt.timedelta(days=20)), member, other_member)
    _shared(earlier, other_member)
    _match(_ran(programme, 3, today - dt.timedelta(days=2)), member, UserFactory())
    _left(other_member, programme)

    html = member_client.get(reverse("members:dashboard")).content.decode()

    _current, past = _sections(html)
    assert "waits for your review" not in html
    assert "round 2: Grace Hopper" in past


def test_dashboard_asks_nothing_of_a_member_who_left(other_member, other_client, member):
    # Dev left "Search buddies": his introduction is no longer a share to make.
    today = timezone.localdate()
    programme = _review_programme()
    match = _match(_ran(programme, 2, today - dt.timedelta(days=2)), member, other_member)
    _shared(match, member)
    _left(other_member, programme)

    html = other_client.get(reverse("members:dashboard")).content.decode()

    assert "Share your search strategy by" not in html
    assert "waits for your review" not in html


def test_dashboard_moves_a_done_review_to_past_when_the_partner_deleted_their_account(
    member_client, member, other_member
):
    # Niamh shared; her partner then deleted their account: nothing is owed to anyone.
    today = timezone.localdate()
    programme = _review_programme()
    earlier = _match(_ran(programme, 2, today - dt.timedelta(days=2)), member, other_member)
    _shared(earlier, member)
    _match(_ran(programme, 3, today), member, UserFactory())
    MatchMember.objects.filter(match=earlier, user=other_member).update(user=None)

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, past = _sections(html)
    assert "round 2: A former member" in past
    assert "round 2" not in current


def test_dashboard_keeps_an_earlier_review_current_while_a_remaining_partner_waits(
    member_client, member, other_member
):
    today = timezone.localdate()
    programme = _review_programme()
    trio = _match(
        _ran(programme, 2, today - dt.timedelta(days=20)),
        member,
        other_member,
        UserFactory(profile__display_name="Dev Patel"),
    )
    _shared(trio, other_member)
    dev = trio.members.get(user__profile__display_name="Dev Patel").user
    _shared(trio, dev)
    _left(dev, programme)
    _match(_ran(programme, 3, today - dt.timedelta(days=2)), member, UserFactory())

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, _past = _sections(html)
    assert "round 2: " in current
    assert "search strategy waits for your review." in current


def test_matches_for_member_reads_leavers_without_more_queries(member):
    programme = _review_programme()
    for number in range(1, 6):
        partner = UserFactory()
        on = dt.date(2026, 1, 1) + dt.timedelta(days=28 * number)
        _shared(_match(_ran(programme, number, on), member, partner), partner)
        if number % 2:
            _left(partner, programme)

    with CaptureQueriesContext(connection) as queries:
        result = matches_for_member(user=member, today=dt.date(2026, 12, 20))

    # The matches with what search review asks and the member's answers; their seats;
    # the rounds with matches; when each round's feedback closes.
    assert len(queries) == 4
    assert [m.pairing_round.number for m in result.current] == [5, 4, 2]
