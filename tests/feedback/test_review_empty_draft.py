"""Saving an empty review as a draft says there is nothing to save yet and stores no
draft; before, it said "Your draft is saved" over an empty form (walk 21)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from feedback.models import StrategyReview
from feedback.strategies.services import strategy_share
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db


def _url(member, other_member):
    match = review_match(review_programme(), member, other_member)
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    return reverse("feedback:strategy_review", args=[match.pk, version.strategy_id])


def test_an_empty_draft_is_not_saved_and_says_so(member, other_member, other_client):
    url = _url(member, other_member)

    page = html.unescape(other_client.post(url, {"action": "draft"}, follow=True).content.decode())

    assert "Nothing to save yet: choose a verdict or write a comment." in page
    assert "Your draft is saved" not in page
    assert not StrategyReview.objects.exists()


def test_a_draft_with_an_overall_comment_is_saved(member, other_member, other_client):
    url = _url(member, other_member)

    page = html.unescape(
        other_client.post(
            url, {"action": "draft", "overall": "Half done"}, follow=True
        ).content.decode()
    )

    assert "Your draft is saved. Only you can see it until you send it." in page
    assert StrategyReview.objects.get().overall == "Half done"
