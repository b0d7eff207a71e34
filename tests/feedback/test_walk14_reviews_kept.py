"""Walk 14: a reviewer keeps their own record of a review when its author deletes their
account; the author's strategy (text and file) still goes with the account."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import StrategyReview, StrategyVersion
from feedback.strategies.evidence import strategy_evidence
from feedback.strategies.services import review_save, strategy_share
from feedback.strategies.uploads import CheckedFile
from members.services import member_delete
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme, upload

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 5, 10, 0))


@pytest.fixture
def reviewed(member, other_member):
    """Omar (member) shares a strategy with a file; Nadia (other_member) reviews it."""
    programme = review_programme()
    match = review_match(programme, member, other_member)
    version = strategy_share(
        match=match,
        author=member,
        context={"question": "Does exercise help?"},
        text=STRATEGY,
        upload=upload("strat.txt", STRATEGY.encode()),
        checked=CheckedFile(name="strat.txt", file_type="txt"),
    )
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={"limits": {"verdict": "required", "comment": "Line 8: drop the limit."}},
        overall="My own overall note.",
        submit=True,
        now=NOW,
    )
    return programme, match


def test_reviewer_cpd_keeps_the_review_after_the_author_deletes_their_account(
    reviewed, member, other_client
):
    member_delete(user=member)

    page = other_client.get(reverse("feedback:cpd")).content.decode()
    lines = re.findall(r"<li>(Reviewed a partner[^<]*)</li>", page)
    assert lines == [
        "Reviewed a partner&#x27;s search strategy (version 1; a former member) with PRESS 2015"
        " (5 November 2026)"
    ]


def test_reviewer_data_keeps_their_own_review_after_the_author_deletes_their_account(
    reviewed, member, other_client
):
    member_delete(user=member)

    data = json.loads(other_client.get(reverse("members:data_export")).content)
    [written] = data["search_strategy_reviews_written"]
    assert written["programme"] == "Search buddies" and written["round"] == 1
    assert written["of_version"] == 1 and written["sent_at"].startswith("2026-11-05")
    assert written["overall"] == "My own overall note."


def test_the_authors_strategy_text_and_file_still_go_with_their_account(reviewed, member):
    member_delete(user=member)

    assert not StrategyVersion.objects.exists()
    review = StrategyReview.objects.get()
    assert review.strategy is None and review.version is None


def test_evidence_counts_stay_consistent_after_the_author_deletes_their_account(reviewed, member):
    programme, _match = reviewed
    member_delete(user=member)

    # The strategy left the "shared" count with its author, and its review the
    # "reviews completed" and element counts, so no figure is of something not counted.
    figures = strategy_evidence(programme=programme, exact=True)
    assert figures["shared"] == 0
    assert figures["reviews"] == 0
    assert all(not cell.value for cell in figures["elements"])


def test_a_review_nobody_keeps_is_deleted_with_the_second_account(reviewed, member, other_member):
    member_delete(user=member)
    assert StrategyReview.objects.get().reviewer == other_member

    member_delete(user=other_member)

    assert not StrategyReview.objects.exists()


def test_the_reviewers_record_is_not_deleted_with_someone_elses_account(
    reviewed, member, other_member
):
    member_delete(user=member)

    assert StrategyReview.objects.get().reviewer == other_member
    assert StrategyReview.objects.get().strategy is None
