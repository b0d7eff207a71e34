"""Walk 47: in a programme set to "Meet again the partner met longest ago", an organiser's
move that put two past partners together was refused because "this programme introduces
people only once", though it had just introduced a trio again. The refusal now gives the
programme's own rule."""

from __future__ import annotations

import pytest

from pairing import rounds
from pairing.choices import WhenAllMet
from tests.factories import ProgrammeFactory
from tests.pairing.test_round_lifecycle import START, _join
from tests.pairing.test_walk14_intro_again import _match, _ran

pytestmark = pytest.mark.django_db


def _refusal(when_all_met: str) -> str:
    programme = ProgrammeFactory(repeat_window=None, when_all_met=when_all_met)
    ada, ben = _join(programme, 1, display_name="Ada Lovelace") + _join(
        programme, 1, display_name="Ben Okri"
    )
    _join(programme, 2)
    _match(_ran(programme, 1, START.replace(month=START.month - 1)), ada, ben)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    preview = rounds.round_preview(pairing_round=pairing_round, today=START)
    (with_ada,) = [g for g in preview.groups if ada in [m.user for m in g["members"]]]
    (partner,) = [m for m in with_ada["members"] if m.user != ada]
    with pytest.raises(rounds.RoundError) as refused:
        rounds.round_draft_edit(
            pairing_round=pairing_round,
            action="swap",
            member=str(partner.user_id),
            other=str(ben.pk),
        )
    return str(refused.value).replace("Ben Okri and Ada Lovelace", "Ada Lovelace and Ben Okri")


def test_meeting_again_later_is_the_reason_given_when_the_programme_repeats():
    # Ada and Ben each still have two members they have never met.
    assert _refusal(WhenAllMet.REPEAT) == (
        "That change is not allowed: Ada Lovelace and Ben Okri have met before, and people "
        "meet again only when neither has anyone new left to meet."
    )


def test_a_programme_that_never_repeats_still_says_only_once():
    assert _refusal(WhenAllMet.SIT_OUT) == (
        "That change is not allowed: Ada Lovelace and Ben Okri have met before, and this "
        "programme introduces people only once."
    )
