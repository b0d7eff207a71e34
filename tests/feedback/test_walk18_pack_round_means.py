"""Walk 18, the same leak as the mentoring means, round by round: beside the headline's
mean of every rating, one round's mean (and the counts around it) gave away the mean of
another round's 1-4 ratings. Shared, a round's mean now shows only when the rounds whose
mean is left out have 0 or 5 or more ratings between them."""

from __future__ import annotations

import re

import pytest

from tests.factories import ProgrammeFactory
from tests.feedback.builders import evaluations, make_round
from tests.feedback.test_walk18_pack_linked import headline, page, table

pytestmark = pytest.mark.django_db


def test_a_round_mean_that_would_give_away_a_few_ratings_is_not_in_the_pack(organiser_client):
    # Round 1: 10 rated 4; round 2: 3 rated 1. 13 ratings, mean 3.3: with round 1's 4.0
    # from about 10 ratings, round 2's 3 ratings would be about 1.
    programme = ProgrammeFactory(kind="coffee")
    evaluations(make_round(programme, 1), 10, met="yes", usefulness=4)
    evaluations(make_round(programme, 2), 3, met="yes", usefulness=1)

    html = page(organiser_client, programme)

    assert headline(html)["Mean usefulness (1-5)"] == "3.3"
    assert [row[5] for row in table(html, "By round")] == ["not shown", "not shown"]
    assert not re.search(r"R1: 4", html)  # nor in the chart
