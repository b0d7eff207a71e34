"""Walk 43: the dashboard read a finished round's reason in the present tense: "An odd
number of members are taking part that round"."""

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
