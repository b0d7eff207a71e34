"""Walk 15: the review page shows what changed since the draft's version once, not under
the strategy and again in the draft's warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.strategies.services import review_save, strategy_share
from tests.feedback.strategy_helpers import REVISED, STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 4, 10, 0))
REVISED_AGAIN = REVISED + "\n9. 8 and humans/"


def _draft_then_revisions(member, other_member, *texts: str):
    match = review_match(review_programme(), member, other_member)
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={},
        overall="Half done",
        submit=False,
        now=NOW,
    )
    for text in texts:
        version = strategy_share(match=match, author=member, context={}, text=text)
    return reverse("feedback:strategy_review", args=[match.pk, version.strategy_id])


def test_the_changes_since_the_drafts_version_are_shown_once(member, other_member, other_client):
    url = _draft_then_revisions(member, other_member, REVISED)

    page = other_client.get(url).content.decode()

    assert page.count("<summary>What changed since version 1</summary>") == 1
    assert page.count("<code>8. 7 not (animals/ not humans/)</code>") == 2  # strategy, diff


def test_older_draft_shows_both_the_latest_changes_and_those_since_the_draft(
    member, other_member, other_client
):
    url = _draft_then_revisions(member, other_member, REVISED, REVISED_AGAIN)

    page = other_client.get(url).content.decode()

    assert page.count("<summary>What changed since version 2</summary>") == 1
    assert page.count("<summary>What changed since version 1</summary>") == 1
