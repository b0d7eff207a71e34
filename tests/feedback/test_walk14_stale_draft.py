"""Walk 14: a review draft written for an older version says so on the review page, with
what changed since, and keeps everything typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.strategies.services import review_save, strategy_share
from tests.feedback.strategy_helpers import REVISED, STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 4, 10, 0))


@pytest.fixture
def stale_draft(member, other_member):
    """Eilidh (other_member) saves a draft on version 1; the author then adds version 2."""
    match = review_match(review_programme(), member, other_member)
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={"translation": {"verdict": "", "comment": "Line 2: add neoplasm*"}},
        overall="",
        submit=False,
        now=NOW,
    )
    revised = strategy_share(match=match, author=member, context={}, text=REVISED)
    return match, revised


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_review_page_says_the_draft_was_written_for_an_older_version(stale_draft, other_client):
    match, revised = stale_draft
    url = reverse("feedback:strategy_review", args=[match.pk, revised.strategy_id])

    page = other_client.get(url).content.decode()

    day = f"{timezone.localtime(revised.created_at):%-d %B %Y}"
    assert (
        f"Your draft was written for version 1; version 2 was shared on {day}: "
        "check your comments still apply." in _text(page)
    )
    assert "Line 2: add neoplasm*" in page  # nothing typed is lost


def test_the_review_page_shows_what_changed_since_the_drafts_version(stale_draft, other_client):
    match, revised = stale_draft
    url = reverse("feedback:strategy_review", args=[match.pk, revised.strategy_id])

    page = other_client.get(url).content.decode()
    note = page[
        page.index('id="draft-stale"') : page.index("</details>", page.index("draft-stale"))
    ]

    assert "What changed since version 1" in note
    assert "<code>8. limit 7 to english language</code>" in note
    assert "<code>8. 7 not (animals/ not humans/)</code>" in note


def test_the_match_page_says_the_draft_was_for_an_older_version(stale_draft, other_client):
    match, _revised = stale_draft

    page = _text(
        other_client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    )

    assert "was written for version 1: check it against version 2" in page


def test_a_draft_of_the_latest_version_has_no_such_note(member, other_member, other_client):
    match = review_match(review_programme(), member, other_member)
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={},
        overall="So far so good.",
        submit=False,
        now=NOW,
    )
    url = reverse("feedback:strategy_review", args=[match.pk, version.strategy_id])

    page = other_client.get(url).content.decode()

    assert "Your draft was written for version" not in page
    assert "Your draft was saved on" in page
