"""The dashboard puts what a member has to do now first: with a current introduction,
"My introductions" comes before the programme cards (a screen each at 360 px); with
none, the cards come first and the introductions section follows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Match, MatchMember, Membership, Round
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _order(html: str) -> list[str]:
    ids = ["introductions-heading", "programmes-heading", "account-heading"]
    found = {name: html.find(f'id="{name}"') for name in ids}
    assert all(at >= 0 for at in found.values()), found
    return sorted(found, key=found.get)


def test_a_current_introduction_comes_before_the_programme_cards(
    member_client, member, other_member
):
    programme = ProgrammeFactory(name="Coffee roulette")
    for user in (member, other_member):
        Membership.objects.create(user=user, programme=programme)
    today = timezone.localdate()
    done = Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for=today,
        status="done",
        seed=1,
        finished_at=timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0))),
    )
    match = Match.objects.create(pairing_round=done)
    for user in (member, other_member):
        MatchMember.objects.create(match=match, pairing_round=done, user=user)

    html = member_client.get(reverse("members:dashboard")).content.decode()

    assert _order(html) == ["introductions-heading", "programmes-heading", "account-heading"]
    assert html.count('id="introductions-heading"') == 1
    assert "Coffee roulette, round 1: Grace Hopper" in html
    assert "{#" not in html and "comes before the programme cards" not in html


def test_with_no_introduction_the_programme_cards_come_first(member_client, member):
    Membership.objects.create(user=member, programme=ProgrammeFactory(name="Coffee roulette"))

    html = member_client.get(reverse("members:dashboard")).content.decode()

    assert _order(html) == ["programmes-heading", "introductions-heading", "account-heading"]
    assert html.count('id="introductions-heading"') == 1
    assert "No introductions yet." in html


def test_a_new_members_empty_introductions_speak_of_rounds_and_of_sets(member_client):
    # Walk 40: a member of a learning set only read "When a round of one of your
    # programmes runs".
    page = " ".join(member_client.get(reverse("members:dashboard")).content.decode().split())

    assert (
        "No introductions yet. When one of your programmes matches you (in a round, or as a "
        "learning set forms for a cycle), the people you are introduced to appear here."
    ) in page
