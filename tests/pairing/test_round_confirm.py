"""The run confirmation: a run saves what the organiser confirmed, or stops and shows what
changed (someone left, paused or joined since the confirmation was shown)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pairing.models import Block, LeftOut, Match, Membership, Round, RoundStatus
from pairing.services import membership_leave
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(programme):
    users = {
        name: UserFactory(profile__display_name=name)
        for name in ("Lee Ash", "Max Birch", "Tim Cole", "Kay Dunn")
    }
    for user in users.values():
        MembershipFactory(user=user, programme=programme)
    return users


def _confirmed(client, programme) -> tuple[Round, str]:
    client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    pairing_round = Round.objects.get(programme=programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    assert "This saves 2 matches" in client.get(url + "?confirm=1").content.decode()
    pairing_round.refresh_from_db()
    return pairing_round, url


def _partner_of(pairing_round: Round, user) -> tuple[str, list[str]]:
    """The partner of `user` in the draft, and the other group's members."""
    groups = [g["members"] for g in pairing_round.draft["groups"]]
    mine = next(g for g in groups if str(user.pk) in g)
    other = next(g for g in groups if g is not mine)
    return next(m for m in mine if m != str(user.pk)), other


def _leave(user, programme) -> None:
    membership_leave(membership=Membership.objects.get(user=user, programme=programme))


def test_a_run_confirmed_before_a_member_left_stops_and_shows_the_groups_as_they_are_now(
    organiser_client, programme, four
):
    pairing_round, url = _confirmed(organiser_client, programme)
    _leave(four["Lee Ash"], programme)

    page = organiser_client.post(url, {"action": "run"}, follow=True).content.decode()

    assert Round.objects.get(pk=pairing_round.pk).status == RoundStatus.PLANNED
    assert not Match.objects.exists()
    assert (
        "Nothing has run yet: since this confirmation was shown, Lee Ash stopped taking part "
        "(left the programme), so the groups have changed." in page
    )
    assert "Run this round?" in page and "This saves 1 match " in page


def test_the_partner_of_a_member_who_left_joins_the_other_pair_when_the_round_runs(
    organiser_client, programme, four
):
    pairing_round, url = _confirmed(organiser_client, programme)
    _leave(four["Lee Ash"], programme)
    organiser_client.post(url, {"action": "run"})

    organiser_client.post(url, {"action": "run"})

    pairing_round.refresh_from_db()
    assert pairing_round.status == RoundStatus.DONE
    (match,) = pairing_round.matches.all()
    placed = {seat.user.profile.display_name for seat in match.members.all()}
    assert placed == {"Max Birch", "Tim Cole", "Kay Dunn"}
    assert not LeftOut.objects.exists()


def test_a_partner_the_rules_keep_out_of_the_other_pair_is_told_a_true_reason(
    organiser_client, programme, four
):
    pairing_round, url = _confirmed(organiser_client, programme)
    partner, other_pair = _partner_of(pairing_round, four["Lee Ash"])
    Block.objects.create(user_id=int(partner), blocked_id=int(other_pair[0]))
    _leave(four["Lee Ash"], programme)

    organiser_client.post(url, {"action": "run"})
    organiser_client.post(url, {"action": "run"})

    (left,) = LeftOut.objects.filter(pairing_round=pairing_round)
    assert left.user_id == int(partner)
    assert left.reason == (
        "an odd number of members are taking part this round, so one is left without a "
        "partner: you have priority next round"
    )


def test_a_run_confirmed_before_someone_joined_stops_and_names_them(
    organiser_client, programme, four
):
    _pairing_round, url = _confirmed(organiser_client, programme)
    MembershipFactory(user=UserFactory(profile__display_name="Nadia New"), programme=programme)

    page = organiser_client.post(url, {"action": "run"}, follow=True).content.decode()

    assert not Match.objects.exists()
    assert "since this confirmation was shown, Nadia New started taking part" in page


def test_a_run_of_an_unchanged_confirmation_saves_what_it_said(organiser_client, programme, four):
    pairing_round, url = _confirmed(organiser_client, programme)
    confirmed = {frozenset(g["members"]) for g in pairing_round.draft["groups"]}

    organiser_client.post(url, {"action": "run"})

    saved = {
        frozenset(str(seat.user_id) for seat in match.members.all())
        for match in Match.objects.filter(pairing_round=pairing_round)
    }
    assert saved == confirmed
