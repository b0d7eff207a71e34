"""Walk 14 polish: the introduction's "review only" words match the match page's button,
the review form marks its optional overall note, and a strategy's file is described
rightly whether its text was pasted or read from the file."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback.strategies.forms import StrategyForm
from feedback.strategies.services import strategy_share
from pairing.models import OutboxEmail
from pairing.outbox import build_message
from tests.feedback.strategy_helpers import (
    REVISED,
    STRATEGY,
    pdf_bytes,
    review_match,
    review_programme,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(member, other_member):
    return review_match(review_programme(), member, other_member)


def _share(match, author, text: str, file) -> None:
    form = StrategyForm(data={"text": text}, files={"file": file})
    assert form.is_valid(), form.errors
    strategy_share(
        match=match,
        author=author,
        context=form.context(),
        text=form.cleaned_data["text"],
        upload=form.cleaned_data["file"],
        checked=form.checked,
    )


def _download_line(client, match) -> str:
    page = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    start = page.index(">Download ")
    return " ".join(re.sub(r"<[^>]+>", "", page[start + 1 : page.index("</p>", start)]).split())


def test_the_intro_names_the_review_only_button_as_the_match_page_does(match):
    intro = OutboxEmail.objects.create(
        key=f"intro:{match.pk}", kind="intro", pairing_round=match.pairing_round, match=match
    )

    message = build_message(intro)

    assert "Nothing to review this time?" not in message.body
    assert (
        'Nothing of yours to be reviewed this time? Choose "Review only, nothing of mine this'
        ' time" there.' in message.body
    )
    assert "Choose “Review only, nothing of mine this time” there." in message.alternatives[0][0]


def test_the_review_form_marks_the_overall_note_optional(match, member, other_client):
    _share(match, member, STRATEGY, None)
    strategy = member.strategies.get()

    page = other_client.get(
        reverse("feedback:strategy_review", args=[match.pk, strategy.pk])
    ).content.decode()

    assert "Overall note (optional)" in page


def test_a_text_file_with_nothing_pasted_says_its_text_is_shown(match, member, other_client):
    _share(match, member, "", upload("strat.txt", STRATEGY.encode(), "text/plain"))

    line = _download_line(other_client, match)

    assert line.endswith("(TXT file; its text is shown above)")


def test_a_text_file_shared_with_pasted_text_says_both_were_shared(match, member, other_client):
    _share(match, member, REVISED, upload("strat.txt", STRATEGY.encode(), "text/plain"))

    line = _download_line(other_client, match)

    assert line.endswith("(TXT file, shared as well as the pasted text above)")
    assert "when nothing was pasted" not in line


def test_a_pdf_shared_with_pasted_text_says_both_were_shared(match, member, other_client):
    _share(match, member, STRATEGY, upload("strat.pdf", pdf_bytes(), "application/pdf"))

    line = _download_line(other_client, match)

    assert line.endswith("(PDF file, shared as well as the pasted text above)")
