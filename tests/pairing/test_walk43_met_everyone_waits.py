"""Walk 43: with "Meet again the partner met longest ago", a member who had met everyone
sat out while each of her past partners still had someone new (a pair meets again only
when neither has anyone new: product.md, matching.md), and neither she nor the organiser
was told why. The reason now says so, and the setting's help says it too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pairing.rounds.reasons import cause_counts, explain_unplaced


def _problem(
    history: list[list[list[str]]], people: tuple[str, ...] = ("priya", "eilidh", "gareth", "zoe")
) -> dict:
    """Online members, each of their own organisation, with ``history``'s rounds."""
    return {
        "programme": {"group_size": 2, "repeat_window": None},
        "members": [{"id": i, "format": "online", "organisation": i} for i in people],
        "history": [{"groups": groups} for groups in history],
    }


def _told(problem: dict, member: str, engine_reason: str = "odd one out"):
    """What ``member`` is told when the engine leaves them out with ``engine_reason``."""
    engine = [{"id": member, "reason": engine_reason}]
    (told,) = explain_unplaced(problem, engine, region_names={}, repeat_when_all_met=True)
    return told


def test_a_member_whose_past_partners_all_have_someone_new_is_told_why_she_waits():
    # Priya has met all three; the three have not met one another.
    problem = _problem([[["priya", "eilidh"]], [["priya", "gareth"]], [["priya", "zoe"]]])

    priya = _told(problem, "priya")

    assert priya.reason == (
        "you have met everyone in this programme who is taking part this round, and each of "
        "them still has someone new to meet: partners meet again only when neither has "
        "anyone new, so you will be introduced again when one of them has met everyone too, "
        "or when someone new joins"
    )
    assert cause_counts([priya]) == [
        "1 has met everyone they could meet, and their past partners still have someone new"
    ]


def test_with_a_past_partner_who_has_met_everyone_too_the_reason_stays_short():
    everyone = [[["priya", "eilidh"], ["gareth", "zoe"]], [["priya", "gareth"], ["eilidh", "zoe"]],
                [["priya", "zoe"], ["eilidh", "gareth"]]]  # fmt: skip
    told = _told(_problem(everyone), "priya").reason

    assert told == "you have met everyone in this programme who is taking part this round"


@pytest.mark.django_db
def test_the_programme_form_says_when_partners_meet_again(organiser_client):
    page = organiser_client.get(reverse("admin:pairing_programme_add")).content.decode()

    assert "pairs two members again only when neither has anyone new left to meet" in page


@pytest.mark.django_db
def test_the_whole_reason_reaches_the_member_and_the_round_page():
    """Walk 47: the reason above, with the rules that kept others away, passed the 300
    characters the round kept, and was cut mid-word ("... when one of them has me.")."""
    import datetime as dt

    from django.utils import timezone

    from pairing import rounds
    from pairing.models import LeftOut, OutboxEmail
    from pairing.outbox import build_message
    from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
    from tests.pairing.test_walk14_intro_again import _match, _ran

    programme = ProgrammeFactory(repeat_window=None, avoid_same_organisation=True)
    priya, eilidh, gareth, zoe = (
        UserFactory(profile__organisation=f"Library {i}") for i in range(4)
    )
    outsider = UserFactory(profile__organisation="Library 0")  # same organisation as Priya
    for user in (priya, eilidh, gareth, zoe, outsider):
        MembershipFactory(user=user, programme=programme)
    for number, partner in enumerate((eilidh, gareth, zoe), start=1):
        _match(_ran(programme, number, dt.date(2026, number, 5)), priya, partner)
    _match(_ran(programme, 4, dt.date(2026, 4, 5)), outsider, eilidh)
    _match(_ran(programme, 5, dt.date(2026, 5, 5)), outsider, gareth)
    _match(_ran(programme, 6, dt.date(2026, 6, 5)), outsider, zoe)
    now = timezone.now()
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate(now))
    rounds.round_run(pairing_round=pairing_round, now=now)

    reason = LeftOut.objects.get(pairing_round=pairing_round, user=priya).reason
    assert len(reason) > 300
    assert reason.endswith("when one of them has met everyone too, or when someone new joins")
    (email,) = [
        build_message(row)
        for row in OutboxEmail.objects.filter(pairing_round=pairing_round, user=priya)
    ]
    assert "or when someone new joins" in " ".join(email.body.split())


def test_an_odd_one_out_is_told_only_the_rules_that_kept_them_from_a_three():
    """Walk 48: Wen, who had met two of the others, was told "the rules (the same
    organisation, the meeting format, meeting before, or an earlier choice)"."""
    problem = _problem(
        [[["wen", "uma"]], [["wen", "yusuf"]]], ("wen", "uma", "yusuf", "alex", "bea")
    )
    proof = "odd one out: no pair could take a third member"

    assert _told(problem, "wen", proof).reason == (
        "an odd number of members are taking part this round, so one is left without a "
        "partner, and a rule (meeting before) kept you out of every pair that could have "
        "become a three: you have priority next round"
    )
    problem["members"][3]["organisation"] = "wen"  # Alex works where Wen does
    problem["programme"]["avoid_same_organisation"] = True

    told = _told(problem, "wen", proof).reason
    assert "and the rules (the same organisation or meeting before) kept you out" in told
