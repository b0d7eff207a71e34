"""Walk 18, the same bug class in the search-review figures: "Reviews completed" (and
"of N authors reviewed") beside "Strategies shared" told, by subtraction, that 1-4
shared strategies were not reviewed. Shared, the smaller figure goes when that gap is
1-4; the organiser page keeps both."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from feedback.strategies.evidence import strategy_evidence
from feedback.strategies.services import review_save, strategy_share
from tests.factories import UserFactory
from tests.feedback.strategy_helpers import REVISED, STRATEGY, review_match, review_programme
from tests.feedback.test_walk18_pack_linked import page

pytestmark = pytest.mark.django_db
VERDICTS = {"limits": {"verdict": "required", "comment": "Add a language limit."}}


@pytest.fixture
def eight_of_ten_reviewed():
    """Ten authors share a strategy; eight are reviewed, and all eight revise."""
    programme = review_programme()
    for k in range(10):
        author, reviewer = UserFactory(), UserFactory()
        match = review_match(programme, author, reviewer, number=1 + k)
        version = strategy_share(match=match, author=author, context={}, text=STRATEGY)
        if k < 8:
            review_save(
                strategy=version.strategy,
                reviewer=reviewer,
                elements=VERDICTS,
                overall="",
                submit=True,
                now=timezone.now(),
            )
            strategy_share(match=match, author=author, context={}, text=REVISED)
    return programme


def test_reviews_completed_beside_strategies_shared_are_not_shown(
    organiser_client, eight_of_ten_reviewed
):
    html = page(organiser_client, eight_of_ten_reviewed)
    section = re.search(r'aria-labelledby="strategies-heading">.*?</section>', html, re.S)
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", section.group(0), re.S))

    assert figures["Strategies shared"] == "10"
    assert figures["Reviews completed"] == "not shown"
    assert " of 8" not in figures["Authors who revised after review"]


def test_the_pack_leaves_out_reviews_and_authors_reviewed_the_page_keeps_them(
    eight_of_ten_reviewed,
):
    shared = strategy_evidence(programme=eight_of_ten_reviewed)
    exact = strategy_evidence(programme=eight_of_ten_reviewed, exact=True)

    assert (shared["reviews"], shared["authors_reviewed"]) == (None, None)
    assert (exact["reviews"], exact["authors_reviewed"]) == (8, 8)
