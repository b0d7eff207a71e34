"""Walk 18: a member shares version 1 as a text file alone, so the share form fills the
box with that file's text when they add a revision. Uploading a new .txt or .ris file and
leaving the box as it was filled in shares the NEW file's text (as a first share with a
file and nothing pasted does): version 2 shows its lines, the download line says its
text is shown, and what changed is the text. Text the member edited, or pasted for the
previous version, still wins, and the form says so before sending."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests.feedback.strategy_helpers import (
    REVISED,
    STRATEGY,
    docx_bytes,
    review_match,
    review_programme,
    upload,
)

pytestmark = pytest.mark.django_db

SHOWN = "file; its text is shown above)"
BOTH = "file, shared as well as the pasted text above)"
THIRD = REVISED.replace("5. (exercis* or physical activit*).ti,ab.", "5. exercis*.ti,ab.")


@pytest.fixture
def match(member, other_member):
    return review_match(review_programme(), member, other_member)


def _share_url(match) -> str:
    return reverse("feedback:strategy_share", args=[match.pk])


def _share(client, match, data: dict) -> None:
    response = client.post(_share_url(match), data)
    assert response.status_code == 302, response.content.decode()


def _words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _page(client, match) -> str:
    return client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()


def _lines_of_version(page: str, number: int) -> list[str]:
    """The lines of the strategy table captioned 'version N, line by line'."""
    start = page.index(f"version {number}, line by line</caption>")
    table = page[start : page.index("</table>", start)]
    return [html.unescape(code) for code in re.findall(r"<code>(.*?)</code>", table)]


def _download_line(page: str) -> str:
    start = page.index(">Download ")
    return _words(page[start + 1 : page.index("</p>", start)])


def _what_changed(page: str) -> str:
    start = page.index('<details class="strategy-diff"')
    return _words(page[start : page.index("</details>", start)])


def _file_only_then_new_file(client, match, name: str, content: bytes) -> None:
    """Version 1 is strategy23.txt alone; version 2 uploads `name` and sends the box as
    the form filled it in (as a browser does: CRLF line endings, the file kept ticked)."""
    _share(client, match, {"text": "", "file": upload("strategy23.txt", STRATEGY.encode())})
    form = client.get(_share_url(match)).content.decode()
    assert html.escape(STRATEGY, quote=False) in form  # the box holds version 1's text
    filled_in = STRATEGY.replace("\n", "\r\n")
    _share(client, match, {"text": filled_in, "file": upload(name, content), "keep_file": "on"})


def test_the_author_sees_the_new_files_lines_as_version_2(match, member_client):
    _file_only_then_new_file(member_client, match, "strategy23v2.txt", REVISED.encode())

    page = _page(member_client, match)

    assert _lines_of_version(page, 2) == REVISED.splitlines()
    assert _download_line(page) == "Download strategy23v2.txt (TXT " + SHOWN


def test_the_reviewer_sees_the_new_files_lines_and_what_changed_in_the_text(
    match, member_client, other_client
):
    _file_only_then_new_file(member_client, match, "strategy23v2.txt", REVISED.encode())

    page = _page(other_client, match)

    assert _lines_of_version(page, 2) == REVISED.splitlines()
    assert _download_line(page) == "Download strategy23v2.txt (TXT " + SHOWN
    changed = _what_changed(page)
    assert "Details changed: file." in changed
    assert "removed 8. limit 7 to english language" in changed
    assert "added 8. 7 not (animals/ not humans/)" in changed
    assert "The text of the strategy is unchanged." not in changed


def test_the_reviewers_review_page_shows_what_changed_in_the_text(
    match, member, member_client, other_client
):
    _file_only_then_new_file(member_client, match, "strategy23v2.txt", REVISED.encode())
    strategy_id = member.strategies.get().pk

    page = other_client.get(
        reverse("feedback:strategy_review", args=[match.pk, strategy_id])
    ).content.decode()

    assert _lines_of_version(page, 2) == REVISED.splitlines()
    assert "added 8. 7 not (animals/ not humans/)" in _what_changed(page)


def test_a_new_ris_file_with_the_box_left_as_filled_in_shows_the_ris_text(
    match, member_client, other_client
):
    ris = "TY  - JOUR\nTI  - Exercise and cancer\nER  - "
    _file_only_then_new_file(member_client, match, "export.ris", ris.encode())

    page = _page(other_client, match)

    assert _lines_of_version(page, 2) == ["TY  - JOUR", "TI  - Exercise and cancer", "ER  -"]
    assert _download_line(page) == "Download export.ris (RIS " + SHOWN


def test_text_edited_in_the_box_wins_over_the_new_file(match, member_client, other_client):
    _share(member_client, match, {"text": "", "file": upload("strategy23.txt", STRATEGY.encode())})
    _share(
        member_client,
        match,
        {"text": REVISED, "file": upload("strategy23v2.txt", THIRD.encode()), "keep_file": "on"},
    )

    page = _page(other_client, match)

    assert _lines_of_version(page, 2) == REVISED.splitlines()
    assert _download_line(page) == "Download strategy23v2.txt (TXT " + BOTH


def test_a_first_share_shows_the_pasted_text_or_else_the_files(
    match, member, other_member, member_client
):
    # Pasted text with a different file: the pasted text is shown, the file as well.
    _share(member_client, match, {"text": REVISED, "file": upload("s.txt", STRATEGY.encode())})
    page = _page(member_client, match)
    assert _lines_of_version(page, 1) == REVISED.splitlines()
    assert _download_line(page) == "Download s.txt (TXT " + BOTH
    # A file with nothing pasted: its text is shown.
    second = review_match(match.pairing_round.programme, member, other_member, number=2)
    _share(member_client, second, {"text": "", "file": upload("t.txt", STRATEGY.encode())})
    page = _page(member_client, second)
    assert _lines_of_version(page, 1) == STRATEGY.splitlines()
    assert _download_line(page) == "Download t.txt (TXT " + SHOWN


# --- A Word or PDF file, and what the form says before sending -------------------------


def test_a_new_word_file_with_the_box_left_shares_the_text_the_form_said_it_would(
    match, member_client, other_client
):
    _share(member_client, match, {"text": "", "file": upload("strategy23.txt", STRATEGY.encode())})
    form = _words(member_client.get(_share_url(match)).content.decode())
    assert "This box holds the text of strategy23.txt, version 1's file." in form
    assert "A new .txt or .ris file's text replaces that text unless you edit the box." in form
    assert (
        "A Word or PDF file's text can't be shown: with one, the box's text (still version "
        "1's) is shared as it is, so paste the new text, or empty the box to share the file "
        "alone." in form
    )

    data = {"text": STRATEGY, "file": upload("strategy23v2.docx", docx_bytes()), "keep_file": "on"}
    _share(member_client, match, data)
    page = _page(other_client, match)

    assert _lines_of_version(page, 2) == STRATEGY.splitlines()
    assert _download_line(page) == "Download strategy23v2.docx (DOCX " + BOTH


def test_pasted_text_left_in_the_box_stays_beside_a_new_text_file_as_the_form_said(
    match, member_client, other_client
):
    _share(member_client, match, {"text": REVISED})
    form = _words(member_client.get(_share_url(match)).content.decode())
    assert "This box holds the text you pasted for version 1." in form
    assert (
        "A new file is shared as well as the text in the box; to show a new .txt or .ris "
        "file's text instead, empty the box." in form
    )

    _share(member_client, match, {"text": REVISED, "file": upload("new.txt", THIRD.encode())})
    page = _page(other_client, match)

    assert _lines_of_version(page, 2) == REVISED.splitlines()
    assert _download_line(page) == "Download new.txt (TXT " + BOTH
