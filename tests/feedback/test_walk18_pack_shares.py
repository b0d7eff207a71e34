"""Walk 18: the pack's share column said "no answers" beside a count of 0 when the
question had answers (2 of them, too few to show). Nothing is shown as a share of 1-4
answers (the rules printed on the pack), so it reads "not shown", as beside the other
cells; "no answers" stays for a question nobody answered."""

from __future__ import annotations

import pytest

from tests.factories import ProgrammeFactory
from tests.feedback.builders import evaluate, make_match, make_round
from tests.feedback.test_walk18_pack_linked import page, table

pytestmark = pytest.mark.django_db


def test_a_rating_nobody_gave_reads_not_shown_when_a_few_answered(organiser_client):
    programme = ProgrammeFactory(kind="search_review")
    match = make_match(make_round(programme, 1))
    evaluate(match, usefulness=4, meet_again="yes")
    evaluate(match, usefulness=5, meet_again="yes")

    html = page(organiser_client, programme)

    # Fewer than 5 answers are not broken down at all (walk 29): the zeros beside them
    # told how each of them answered when they agreed ("Yes": both would meet again).
    assert [row[1:] for row in table(html, "How useful was it? (1 to 5)")] == [
        ["not shown", "not shown"]
    ] * 5
    assert table(html, "Would you meet again?") == [
        ["Yes", "not shown", "not shown"],
        ["Maybe", "not shown", "not shown"],
        ["No", "not shown", "not shown"],
    ]
