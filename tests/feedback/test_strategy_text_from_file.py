"""Whether a version's text is its uploaded plain-text or RIS file is recorded when the
member shares it, so the match page words the download line without opening any stored
file (with uploads on S3, each open was a network read per version per page view)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from tests.feedback.strategy_helpers import (
    REVISED,
    STRATEGY,
    docx_bytes,
    pdf_bytes,
    review_match,
    review_programme,
    ris_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

SHOWN = "file; its text is shown above)"
BOTH = "file, shared as well as the pasted text above)"


@pytest.fixture
def match(member, other_member):
    return review_match(review_programme(), member, other_member)


@pytest.fixture
def no_file_opened(monkeypatch):
    """Fails the test if anything opens a stored file (call it after sharing)."""

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("a stored strategy file was opened to show the page")

    monkeypatch.setattr(Storage, "open", refuse)
    monkeypatch.setattr(FieldFile, "open", refuse)


def _share(client, match, data: dict) -> None:
    response = client.post(reverse("feedback:strategy_share", args=[match.pk]), data)
    assert response.status_code == 302, response.content.decode()


def _download_lines(client, match) -> list[str]:
    page = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    starts = [m.start() for m in re.finditer(">Download ", page)]
    return [
        " ".join(re.sub(r"<[^>]+>", "", page[s + 1 : page.index("</p>", s)]).split())
        for s in starts
    ]


def test_a_txt_upload_with_nothing_pasted_is_shown_as_the_text_without_opening_it(
    match, member_client, other_client, request
):
    _share(member_client, match, {"text": "", "file": upload("strat.txt", STRATEGY.encode())})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download strat.txt (TXT " + SHOWN]


def test_an_ris_upload_with_nothing_pasted_is_shown_as_the_text_without_opening_it(
    match, member_client, other_client, request
):
    _share(member_client, match, {"text": "", "file": upload("export.ris", ris_bytes())})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download export.ris (RIS " + SHOWN]


def test_pasted_text_with_a_word_file_says_both_were_shared_on_a_page_that_opens_no_file(
    match, member_client, other_client, request
):
    # Version 1 is a text file alone, version 2 pasted text with a Word file: the page
    # words both download lines from what was recorded when each was shared.
    _share(member_client, match, {"text": "", "file": upload("strat.txt", STRATEGY.encode())})
    _share(member_client, match, {"text": REVISED, "file": upload("strat.docx", docx_bytes())})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download strat.docx (DOCX " + BOTH, "Download strat.txt (TXT " + SHOWN]


def test_pasted_text_with_a_pdf_says_both_were_shared_without_opening_it(
    match, member_client, other_client, request
):
    _share(member_client, match, {"text": STRATEGY, "file": upload("strat.pdf", pdf_bytes())})
    _share(member_client, match, {"text": STRATEGY, "file": upload("again.txt", b"other")})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download again.txt (TXT " + BOTH, "Download strat.pdf (PDF " + BOTH]


def test_a_revision_keeping_the_text_file_and_its_text_still_says_the_text_is_the_file(
    match, member_client, other_client, request
):
    _share(member_client, match, {"text": "", "file": upload("strat.txt", STRATEGY.encode())})
    # The share form holds the previous text; only the question changes.
    _share(member_client, match, {"text": STRATEGY, "question": "Exercise?", "keep_file": "on"})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download strat.txt (TXT " + SHOWN, "Download strat.txt (TXT " + SHOWN]


def test_a_revision_with_new_pasted_text_keeping_the_text_file_says_both_were_shared(
    match, member_client, other_client, request
):
    _share(member_client, match, {"text": "", "file": upload("strat.txt", STRATEGY.encode())})
    _share(member_client, match, {"text": REVISED, "keep_file": "on"})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download strat.txt (TXT " + BOTH, "Download strat.txt (TXT " + SHOWN]


def test_a_revision_pasting_the_kept_text_files_own_text_says_the_text_is_the_file(
    match, member_client, other_client, request
):
    _share(member_client, match, {"text": REVISED, "file": upload("s.txt", STRATEGY.encode())})
    _share(member_client, match, {"text": STRATEGY, "keep_file": "on"})
    request.getfixturevalue("no_file_opened")

    lines = _download_lines(other_client, match)

    assert lines == ["Download s.txt (TXT " + SHOWN, "Download s.txt (TXT " + BOTH]


# --- Versions shared before the field existed -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_records_which_existing_versions_show_their_text_file(
    member, other_member, other_client
):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    match = review_match(review_programme(), member, other_member)
    before = [("feedback", "0004_reviews_stay_with_reviewer")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    strategy = old.get_model("feedback", "Strategy").objects.create(
        match_id=match.pk, author_id=member.pk
    )
    OldVersion = old.get_model("feedback", "StrategyVersion")
    # Saved from Windows: the page showed the text without the BOM and with \n endings.
    as_text = default_storage.save(
        "strategies/2026/11/as-text.txt",
        ContentFile(b"\xef\xbb\xbf" + STRATEGY.replace("\n", "\r\n").encode() + b"\r\n"),
    )
    pasted = default_storage.save("strategies/2026/11/pasted.txt", ContentFile(b"other"))
    common = {"strategy_id": strategy.pk, "file_type": "txt", "text": STRATEGY}
    text_file = OldVersion.objects.create(number=1, file=as_text, file_name="a.txt", **common)
    with_paste = OldVersion.objects.create(number=2, file=pasted, file_name="p.txt", **common)
    missing = OldVersion.objects.create(number=3, file="strategies/gone.txt", **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from feedback.models import StrategyVersion

    recorded = dict(StrategyVersion.objects.values_list("pk", "text_from_file"))
    assert recorded == {text_file.pk: True, with_paste.pk: False, missing.pk: False}
    lines = _download_lines(other_client, match)
    assert "Download a.txt (TXT " + SHOWN in lines
    assert "Download p.txt (TXT " + BOTH in lines
