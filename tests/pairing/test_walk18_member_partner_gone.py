"""Walk 18: when a mentee's mentor (or a coffee partner) deletes their account, the match
page says so in a sentence ("your mentor has deleted their account", never "A former
member" mid-sentence) and tells the member what happens next for them in the programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Match, MatchMember, MembershipStatus, Round
from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
NEXT = dt.date(2027, 7, 13)


def _match(programme, *seats) -> Match:
    pairing_round = Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for=dt.date(2026, 11, 2),
        status="done",
        seed=1,
        finished_at=timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0)),
    )
    match = Match.objects.create(pairing_round=pairing_round)
    for user, role in seats:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user, role=role)
    return match


def _gone(match: Match, user) -> None:
    MatchMember.objects.filter(match=match, user=user).update(user=None)


def _page(client, match: Match) -> str:
    return client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()


@pytest.fixture
def mentoring():
    return ProgrammeFactory(
        kind="mentoring", name="New professionals mentoring", next_round_on=NEXT
    )


@pytest.fixture
def coffee():
    return ProgrammeFactory(kind="coffee", name="Yorkshire library coffee", next_round_on=NEXT)


def test_a_mentee_reads_that_their_mentor_deleted_their_account(
    member_client, member, other_member, mentoring
):
    MembershipFactory(user=member, programme=mentoring, mentoring_role="seek")
    match = _match(mentoring, (member, "seek"), (other_member, "offer"))
    _gone(match, other_member)

    page = _page(member_client, match)

    assert (
        "In this pair <strong>you are the mentee</strong>; your mentor has deleted their account."
        in page
    )
    assert "and A former member is the mentor" not in page


def test_an_active_member_left_alone_is_told_the_next_round_date(
    member_client, member, other_member, mentoring
):
    MembershipFactory(user=member, programme=mentoring, mentoring_role="seek")
    match = _match(mentoring, (member, "seek"), (other_member, "offer"))
    _gone(match, other_member)

    page = _page(member_client, match)

    assert "there is no meeting to arrange." in page
    assert (
        "You are still in New professionals mentoring: the next round is on 13 July 2027." in page
    )


def test_a_coffee_member_whose_partner_deleted_their_account_is_told_the_next_round(
    member_client, member, other_member, coffee
):
    MembershipFactory(user=member, programme=coffee)
    match = _match(coffee, (member, ""), (other_member, ""))
    _gone(match, other_member)

    page = _page(member_client, match)

    assert "Your partner has deleted their account, so nobody else remains" in page
    assert "You are still in Yorkshire library coffee: the next round is on 13 July 2027." in page


def test_a_paused_member_left_alone_is_told_until_when(member_client, member, other_member, coffee):
    until = timezone.localdate() + dt.timedelta(days=60)
    MembershipFactory(
        user=member, programme=coffee, status=MembershipStatus.PAUSED, paused_until=until
    )
    match = _match(coffee, (member, ""), (other_member, ""))
    _gone(match, other_member)

    page = _page(member_client, match)

    assert (
        f"You are still in Yorkshire library coffee: you are paused until "
        f"{until.day} {until:%B %Y}, and we will include you again from then." in page
    )
