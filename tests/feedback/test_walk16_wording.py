"""Walk 16: a member who left is not promised an email about a partner's strategy, and
two others who left a group are named in one sentence."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pairing.models import Membership
from pairing.services import membership_leave
from tests.factories import UserFactory
from tests.feedback.strategy_helpers import review_match, review_programme

pytestmark = pytest.mark.django_db


def _leave(user, match) -> None:
    membership_leave(
        membership=Membership.objects.get(user=user, programme=match.pairing_round.programme)
    )


def _page(client, match) -> str:
    html = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _match(*users):
    programme = review_programme()
    for user in users:
        Membership.objects.create(user=user, programme=programme)
    return review_match(programme, *users)


def test_a_member_who_left_is_not_promised_an_email_about_a_strategy(
    member, other_member, member_client
):
    match = _match(member, other_member)
    _leave(member, match)

    page = _page(member_client, match)

    assert "Grace Hopper has not shared a strategy." in page
    assert "You will be emailed when they do" not in page


def test_a_member_who_stays_is_still_told_they_will_be_emailed(member, other_member, member_client):
    match = _match(member, other_member)

    page = _page(member_client, match)

    assert "Grace Hopper has not shared a strategy yet" in page
    # (Its round ran in November: past the date, "If they still share it" since walk 44.)
    assert "If they still share it, you will be emailed." in page


def test_two_others_who_left_a_group_are_named_in_one_sentence(member, other_member, member_client):
    third = UserFactory(email="priya@example.org", profile__display_name="Priya Nair")
    match = _match(member, other_member, third)
    _leave(other_member, match)
    _leave(third, match)

    page = _page(member_client, match)

    assert "Grace Hopper and Priya Nair have left the programme, so nobody else remains" in page
    assert "Grace Hopper has left the programme and" not in page
