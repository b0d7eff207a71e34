"""Walk 43: with "Meet again the partner met longest ago", a member who had met everyone
sat out while each of her past partners still had someone new (a pair meets again only
when neither has anyone new: product.md, matching.md), and neither she nor the organiser
was told why. The reason now says so, and the setting's help says it too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pairing.rounds.reasons import cause_counts, explain_unplaced


def _problem(history: list[list[list[str]]]) -> dict:
    return {
        "programme": {"group_size": 2, "repeat_window": None},
        "members": [{"id": i, "format": "online"} for i in ("priya", "eilidh", "gareth", "zoe")],
        "history": [{"groups": groups} for groups in history],
    }


def test_a_member_whose_past_partners_all_have_someone_new_is_told_why_she_waits():
    # Priya has met all three; the three have not met one another.
    problem = _problem([[["priya", "eilidh"]], [["priya", "gareth"]], [["priya", "zoe"]]])
    engine = [{"id": "priya", "reason": "odd one out"}]

    (priya,) = explain_unplaced(problem, engine, region_names={}, repeat_when_all_met=True)

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
    engine = [{"id": "priya", "reason": "odd one out"}]

    (priya,) = explain_unplaced(
        _problem(everyone), engine, region_names={}, repeat_when_all_met=True
    )

    assert priya.reason == "you have met everyone in this programme who is taking part this round"


@pytest.mark.django_db
def test_the_programme_form_says_when_partners_meet_again(organiser_client):
    page = organiser_client.get(reverse("admin:pairing_programme_add")).content.decode()

    assert "pairs two members again only when neither has anyone new left to meet" in page
