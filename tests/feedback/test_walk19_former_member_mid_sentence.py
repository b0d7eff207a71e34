"""Walk 19: a deleted account's stand-in name reads "a former member" mid-sentence (after
"by", ";" or "(") on the CPD record, its CSV and the match page; at the start of a cell it
keeps its capital."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.strategies.services import review_save, strategy_share
from members.services import member_delete
from tests.feedback.builders import evaluate
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 5, 10, 0))


@pytest.fixture
def reviewed(member, other_member):
    """Omar (member) shares a strategy; Nadia (other_member) reviews it."""
    programme = review_programme()
    match = review_match(programme, member, other_member)
    version = strategy_share(
        match=match, author=member, context={"question": "Does exercise help?"}, text=STRATEGY
    )
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={"limits": {"verdict": "required", "comment": "Line 8: drop the limit."}},
        overall="Fine.",
        submit=True,
        now=NOW,
    )
    return match


def test_the_reviewers_cpd_record_names_a_deleted_author_in_lower_case(
    reviewed, member, other_client
):
    member_delete(user=member)

    page = other_client.get(reverse("feedback:cpd")).content.decode()
    [line] = re.findall(r"<li>(Reviewed a partner[^<]*)</li>", page)
    assert "(version 1; a former member) with PRESS 2015" in line
    # The partner cell starts with the stand-in: it keeps its capital.
    assert "<dd>A former member</dd>" in page


def test_the_authors_cpd_csv_names_a_deleted_reviewer_in_lower_case(
    reviewed, other_member, member_client
):
    member_delete(user=other_member)

    response = member_client.get(reverse("feedback:cpd_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, [row] = rows[0], rows[1:]
    review = row[header.index("Search-strategy peer review")]
    assert "peer reviewed with PRESS 2015 by a partner (a former member; 5 November 2026)" in (
        review
    )
    assert row[header.index("Partners (role and sector)")] == "A former member"


def test_the_match_page_says_review_by_a_former_member(reviewed, other_member, member_client):
    member_delete(user=other_member)

    page = member_client.get(reverse("pairing:match_detail", args=[reviewed.pk]))
    text = page.content.decode()
    assert "Review by a former member, 5 November 2026" in text
    assert "Review by A former member" not in text


def test_the_evaluations_csv_names_an_author_without_a_display_name_in_lower_case(
    organiser_client, organiser, member, other_member
):
    programme = review_programme()
    programme.organisers.add(organiser)
    member.profile.display_name = ""
    member.profile.save()
    match = review_match(programme, member, other_member)
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={},
        overall="",
        submit=True,
        now=NOW,
    )
    evaluate(match, other_member)

    response = organiser_client.get(reverse("feedback:programme_csv", args=[programme.pk]))
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["Search-strategy review"]]
    assert row["Search-strategy review"] == "Reviewed a member's strategy (version 1): no revisions"
