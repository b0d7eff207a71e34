"""Faults found by the sixteenth browser walk: the reason a member was left out."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from pairing import rounds
from pairing.models import LeftOut, Round, WhenAllMet
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MET_EVERYONE = "you have met everyone"


def _two_colleagues_in_person_and_online_others(programme):
    """Ana and Ben, new, meet in person only in North West and work at Walker Chambers;
    four others online only, elsewhere: nobody can ever be matched with Ana or Ben."""
    colleagues = [
        UserFactory(
            profile__display_name=name,
            profile__meeting_format="in_person",
            profile__region="north-west",
            profile__organisation="Walker Chambers",
        )
        for name in ("Ana Walker", "Ben Walker")
    ]
    others = [
        UserFactory(profile__meeting_format="online", profile__region="wales") for _ in range(4)
    ]
    for user in [*colleagues, *others]:
        MembershipFactory(user=user, programme=programme)
    return colleagues


def test_new_colleagues_who_alone_meet_in_person_are_not_told_they_met_everyone(programme):
    # Walk 16: both were told "You have met everyone in this programme who is taking part
    # this round" (0 not yet met) though neither had met anyone.
    ana, ben = _two_colleagues_in_person_and_online_others(programme)
    day = dt.date(2026, 12, 7)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)

    rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )

    reasons = {lo.user_id: lo.reason for lo in LeftOut.objects.filter(pairing_round=pairing_round)}
    assert set(reasons) == {ana.pk, ben.pk}
    for reason in reasons.values():
        assert MET_EVERYONE not in reason.lower()
        assert "same organisation" in reason and "in person" in reason


def test_the_preview_gives_colleagues_the_rule_that_keeps_them_out(organiser_client, programme):
    _two_colleagues_in_person_and_online_others(programme)
    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    pairing_round = Round.objects.get(programme=programme)

    body = html.unescape(
        organiser_client.get(
            reverse("admin:pairing_round_preview", args=[pairing_round.pk])
        ).content.decode()
    )

    assert "Ana Walker" in body and "Ben Walker" in body
    assert MET_EVERYONE not in body.lower()
    assert "same organisation" in body


def test_met_everyone_is_still_said_when_every_possible_partner_was_met(programme):
    # Two in person in one region, of different organisations: after meeting once, a
    # programme that does not repeat partners says they have met everyone.
    programme.when_all_met = WhenAllMet.SIT_OUT
    programme.save()
    pair = [
        UserFactory(profile__meeting_format="in_person", profile__region="london") for _ in range(2)
    ]
    others = [
        UserFactory(profile__meeting_format="online", profile__region="wales") for _ in range(4)
    ]
    for user in [*pair, *others]:
        MembershipFactory(user=user, programme=programme)
    for week in range(2):
        day = dt.date(2026, 12, 7) + dt.timedelta(weeks=week)
        pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
        rounds.round_run(
            pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        )

    left = LeftOut.objects.filter(pairing_round=pairing_round)
    assert {lo.user_id for lo in left} == {u.pk for u in pair}
    assert all("already met" in lo.reason or MET_EVERYONE in lo.reason.lower() for lo in left)


def test_met_everyone_names_only_those_she_could_be_matched_with(programme):
    """Walk 28: Eilidh had met 2 of the 6 others; the rest work with her or meet only in
    person elsewhere. She was told she had met "everyone in this programme who is taking
    part this round"; she has met everyone taking part who could be matched with her."""
    from tests.feedback.evaluation_helpers import done_round, make_match

    programme.when_all_met = WhenAllMet.SIT_OUT
    programme.save()
    online = {"profile__meeting_format": "online", "profile__region": "scotland"}
    eilidh = UserFactory(
        profile__display_name="Eilidh MacLeod", profile__organisation="NHS Highland", **online
    )
    hassan = UserFactory(profile__organisation="NHS Highland", **online)
    met = [UserFactory(profile__organisation=f"Library {n}", **online) for n in range(2)]
    london = [
        UserFactory(profile__meeting_format="in_person", profile__region="london") for _ in range(2)
    ]
    for user in [eilidh, hassan, *met, *london]:
        MembershipFactory(user=user, programme=programme)
    for weeks, partner in ((8, met[0]), (4, met[1])):
        ran = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC) - dt.timedelta(weeks=weeks)
        make_match(done_round(programme, finished_at=ran), eilidh, partner)
    day = dt.date(2026, 12, 7)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)

    rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )

    (left,) = LeftOut.objects.filter(pairing_round=pairing_round)
    assert left.user == eilidh
    assert left.reason == (
        "you have met everyone taking part this round who could be matched with you (the "
        "same organisation or the meeting format rules out the others): "
        "the programme does not repeat partners, so you will be introduced when someone new "
        "joins"
    )
    assert "everyone in this programme who is taking part" not in left.reason


def test_two_kept_apart_by_a_block_read_the_same_words_and_no_rule_that_did_not_apply(
    programme,
):
    """Walk 31: Ana had blocked Ben, the only other member; both were told "the same
    organisation, the meeting format, or an earlier choice". Neither organisation nor
    format applied. Both now read "an earlier choice" alone, the same words, so Ben does
    not learn that it was Ana's."""
    from pairing.models import Block

    online = {"profile__meeting_format": "online", "profile__region": "wales"}
    ana = UserFactory(profile__organisation="Library A", **online)
    ben = UserFactory(profile__organisation="Library B", **online)
    for user in (ana, ben):
        MembershipFactory(user=user, programme=programme)
    Block.objects.create(user=ana, blocked=ben)
    day = dt.date(2026, 12, 7)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)

    rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )

    reasons = {lo.user_id: lo.reason for lo in LeftOut.objects.filter(pairing_round=pairing_round)}
    assert (
        reasons[ana.pk]
        == reasons[ben.pk]
        == (
            "nobody taking part this round could be matched with you (an earlier choice): we "
            "will introduce you as soon as someone who can be matched with you takes part"
        )
    )
