"""A revision with no pasted text (a Word file alone) is not described as "The text of the
strategy is unchanged": there are no lines to compare, and the page says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.feedback.strategy_helpers import (
    STRATEGY,
    docx_bytes,
    review_match,
    review_programme,
    upload,
)

pytestmark = pytest.mark.django_db


def _share(client, match, data: dict) -> None:
    response = client.post(reverse("feedback:strategy_share", args=[match.pk]), data)
    assert response.status_code == 302, response.content.decode()


def test_a_revision_that_is_only_a_word_file_says_there_are_no_lines_to_compare(
    member, other_member, member_client, other_client
):
    match = review_match(review_programme(), member, other_member)
    _share(member_client, match, {"text": STRATEGY})
    _share(member_client, match, {"text": "", "file": upload("v2.docx", docx_bytes())})

    page = other_client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()

    assert "What changed since version 1" in page
    assert "Version 2 has no pasted text, only its file, so there are no lines to compare" in page
    assert "The text of the strategy is unchanged." not in page
