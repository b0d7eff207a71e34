"""The match page's heading over a partner who has deleted their account: "The person you
were to meet", not "The person you are meeting" above "a former member" (walk 21)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from pairing.models import MatchMember
from tests.factories import MembershipFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _page(client, member, match) -> str:
    client.force_login(member)
    response = client.get(reverse("pairing:match_detail", args=[match.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_gone_partner_is_the_person_you_were_to_meet(client, programme, member, other_member):
    for user in (member, other_member):
        MembershipFactory(user=user, programme=programme)
    match = make_match(done_round(programme, finished_at=RAN), member, other_member)
    assert "The person you are meeting</h2>" in _page(client, member, match)

    MatchMember.objects.filter(match=match, user=other_member).update(user=None)

    page = _page(client, member, match)
    assert "The person you were to meet</h2>" in page
    assert "you are meeting" not in page


def test_a_group_with_someone_left_is_still_the_people_you_are_meeting(
    client, programme, member, other_member
):
    third = UserFactory()
    for user in (member, other_member, third):
        MembershipFactory(user=user, programme=programme)
    match = make_match(done_round(programme, finished_at=RAN), member, other_member, third)
    MatchMember.objects.filter(match=match, user=third).update(user=None)

    assert "The people you are meeting</h2>" in _page(client, member, match)
