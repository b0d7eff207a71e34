"""Walk 43: the dashboard read a finished round's reason in the present tense ("An odd
number of members are taking part that round"), the preview counted "2 odd one out", and
(walk 46) a mentee left over was told everyone "already had a partner"."""

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


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("seek", "every mentor taking part this round who could be matched with you already "
                 "had a mentee: "),
        ("offer", "everyone asking for a mentor this round who could be matched with you "
                  "already had a mentor: "),
        (None, "everyone taking part this round who could be matched with you already had a "
               "partner: "),
    ],
)  # fmt: skip
def test_a_member_left_over_in_mentoring_is_told_in_the_roles_words(role, start):
    # Walk 46: a mentee was told everyone "already had a partner".
    from pairing.rounds.reasons import _left_over, _Pool

    pool = _Pool(taking_part=4, group_sizes=[2], rules=None, left=["s", "m"], met={})

    told = _left_over({"id": "s"}, {"group_size": 2}, pool, role)

    assert told.reason.startswith(start)
