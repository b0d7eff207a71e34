"""Walk 15: when nobody else remains in an introduction (the partner left the programme
or deleted their account), the match page asks nobody to host or propose a time and says
plainly why; a member who left is not asked either."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pairing.models import Match, MatchMember, MembershipStatus
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.feedback.strategy_helpers import review_match, review_programme

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


def _hosted(match: Match, host) -> Match:
    Match.objects.filter(pk=match.pk).update(host=host, suggested_start=START)
    return match


def _page(client, match: Match) -> str:
    return client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()


def test_no_host_or_time_when_the_partner_left(member_client, member, other_member):
    programme = review_programme()
    MembershipFactory(user=other_member, programme=programme, status=MembershipStatus.LEFT)
    match = _hosted(review_match(programme, member, other_member), other_member)

    page = _page(member_client, match)

    assert "is the host this time" not in page
    assert "Suggested time" not in page
    assert (
        "Grace Hopper has left the programme, so nobody else remains in this introduction: "
        "there is no meeting to arrange." in page
    )


def test_no_host_or_time_when_the_partner_deleted_their_account(
    member_client, member, other_member
):
    match = _hosted(review_match(ProgrammeFactory(kind="coffee"), member, other_member), member)
    MatchMember.objects.filter(match=match, user=other_member).update(user=None)

    page = _page(member_client, match)

    assert "You are the host this time" not in page
    assert "Suggested time" not in page
    assert "Your partner has deleted their account, so nobody else remains" in page


def test_a_member_who_left_is_not_asked_to_host(other_client, member, other_member):
    programme = review_programme()
    MembershipFactory(user=other_member, programme=programme, status=MembershipStatus.LEFT)
    match = _hosted(review_match(programme, member, other_member), other_member)

    page = _page(other_client, match)

    assert "You are the host this time" not in page
    assert "You have left Search buddies, so no meeting is asked of you." in page


def test_the_host_is_still_named_while_the_partner_remains(member_client, member, other_member):
    match = _hosted(review_match(review_programme(), member, other_member), other_member)

    page = _page(member_client, match)

    assert "<strong>Grace Hopper</strong> is the host this time" in page
    assert "Suggested time" in page
