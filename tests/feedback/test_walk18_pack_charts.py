"""Walk 18: in the pack's "Over rounds", a chart whose every point is hidden printed bare
axes with no data and no word of why. It now says, in the pack's words, that the figures
are not shown and why, instead of drawing an empty chart."""

from __future__ import annotations

import re

import pytest

from tests.factories import ProgrammeFactory
from tests.feedback.builders import evaluations, make_round
from tests.feedback.test_walk18_pack_linked import page

pytestmark = pytest.mark.django_db


def chart(html: str, title: str) -> str:
    """The figure holding the chart titled `title` (its drawing or the note in its place)."""
    for figure in re.findall(r'<figure class="chart-figure">.*?</figure>', html, re.S):
        if re.search(rf"<figcaption[^>]*>{re.escape(title)}</figcaption>", figure):
            return figure
    raise AssertionError(title)


@pytest.fixture
def small_rounds():
    """Two rounds of 3 evaluations each, all met and rated 4: each round's share who met
    and mean usefulness come from fewer than 5 answers."""
    programme = ProgrammeFactory(kind="coffee")
    for number in (1, 2):
        evaluations(make_round(programme, number), 3, met="yes", usefulness=4)
    return programme


def test_the_share_who_met_by_round_says_why_it_is_not_shown(organiser_client, small_rounds):
    figure = chart(page(organiser_client, small_rounds), "Percentage who met, by round")

    assert "<svg" not in figure
    assert "Not shown for any round: each would tell about fewer than 5 people." in figure


def test_the_mean_usefulness_by_round_says_why_it_is_not_shown(organiser_client, small_rounds):
    figure = chart(page(organiser_client, small_rounds), "Mean usefulness (1-5), by round")

    assert "<svg" not in figure
    assert (
        "Not shown for any round: a round&#x27;s mean needs at least 5 ratings and must not "
        "give away another&#x27;s." in figure
    )
