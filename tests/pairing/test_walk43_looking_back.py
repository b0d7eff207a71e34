"""Walk 43: the dashboard read a finished round's reason in the present tense ("An odd
number of members are taking part that round"), and the preview counted "2 odd one out"."""

from __future__ import annotations

import pytest

from pairing.templatetags.programme_words import looking_back
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_reason_read_later_is_in_the_past_tense():
    programme = ProgrammeFactory()
    reason = (
        "an odd number of members are taking part this round, so one is left without a "
        "partner: you have priority next round"
    )

    assert looking_back(reason, programme) == (
        "an odd number of members were taking part that round, so one was left without a "
        "partner: you have priority next round"
    )


def test_the_organisers_count_of_odd_ones_out_is_plural():
    from pairing.rounds.reasons import Unplaced, cause_counts

    two = [Unplaced(i, "r", "odd one out (every compatible partner already paired)", True)
           for i in "ab"]  # fmt: skip

    assert cause_counts(two) == ["2 odd ones out (every compatible partner already paired)"]
    assert cause_counts(two[:1]) == ["1 odd one out (every compatible partner already paired)"]
