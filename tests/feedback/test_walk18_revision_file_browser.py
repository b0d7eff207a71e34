"""Walk 18: a browser sends a text box's lines ending in CRLF. A revision that sends the
text the form filled in from the previous version's file, unchanged, is still that file's
text: the download line says so, and an otherwise identical revision is refused."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback.models import StrategyVersion
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme, upload

pytestmark = pytest.mark.django_db

SHOWN = "file; its text is shown above)"
AS_SENT = STRATEGY.replace("\n", "\r\n")


@pytest.fixture
def match(member, other_member):
    return review_match(review_programme(), member, other_member)


def _post(client, match, data: dict):
    return client.post(reverse("feedback:strategy_share", args=[match.pk]), data)


def _download_lines(client, match) -> list[str]:
    page = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    starts = [m.start() for m in re.finditer(">Download ", page)]
    return [
        " ".join(re.sub(r"<[^>]+>", "", page[s + 1 : page.index("</p>", s)]).split())
        for s in starts
    ]


def test_a_browser_revision_keeping_the_text_file_and_its_text_says_the_text_is_the_file(
    match, member_client, other_client
):
    _post(member_client, match, {"text": "", "file": upload("strategy23.txt", STRATEGY.encode())})

    response = _post(member_client, match, {"text": AS_SENT, "question": "Q?", "keep_file": "on"})

    assert response.status_code == 302
    lines = _download_lines(other_client, match)
    assert lines == ["Download strategy23.txt (TXT " + SHOWN] * 2


def test_a_browser_revision_identical_to_the_text_files_version_is_refused(match, member_client):
    _post(member_client, match, {"text": "", "file": upload("strategy23.txt", STRATEGY.encode())})

    response = _post(member_client, match, {"text": AS_SENT, "keep_file": "on"})

    assert response.status_code == 200
    assert "This is the same as version 1" in response.content.decode()
    assert StrategyVersion.objects.count() == 1
