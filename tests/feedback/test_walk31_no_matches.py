"""A round in which nobody was matched (everyone paused, left out or blocked) has no
answers to wait for: the evidence says "nobody matched" for it, not "no answers yet"
(walk 31)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback import reports
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round

pytestmark = pytest.mark.django_db


def test_a_round_with_no_matches_says_nobody_was_matched(organiser_client):
    programme = ProgrammeFactory(name="Winter coffee")
    first = make_match(make_round(programme, 1), UserFactory(), UserFactory())
    evaluate(first, usefulness=4)
    make_round(programme, 2)  # ran, and nobody was matched
    make_match(make_round(programme, 3), UserFactory(), UserFactory())  # no answer yet

    rows = {r.number: r for r in reports.programme_report(programme=programme, exact=True)["trend"]}
    page = organiser_client.get(reverse("feedback:programme_report", args=[programme.pk]))
    text = " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())

    assert (rows[2].met_percent_text, rows[2].mean_text) == ("nobody matched", "nobody matched")
    assert (rows[3].met_percent_text, rows[3].mean_text) == ("no answers yet", "no answers yet")
    assert "Round 2 " in text and "0 0 nobody matched nobody matched" in text
