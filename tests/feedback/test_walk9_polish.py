"""Walk 9 polish: what a member or an organiser reads on the evidence page, under a
strategy, in the "did you meet?" email and in their CPD record's CSV."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback.strategies.forms import StrategyForm
from feedback.strategies.services import strategy_share
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme, upload

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Bug 3: an uploaded strategy's own line numbers were not "pasted" ----------------------


def test_an_uploaded_strategy_with_its_own_line_numbers_is_not_called_pasted(
    member, other_member, other_client
):
    match = review_match(review_programme(), member, other_member)
    form = StrategyForm(
        data={"text": "", "question": "Does exercise help in cancer?"},
        files={"file": upload("strategy.txt", STRATEGY.encode(), "text/plain")},
    )
    assert form.is_valid(), form.errors
    strategy_share(
        match=match,
        author=member,
        context=form.context(),
        text=form.cleaned_data["text"],
        upload=form.cleaned_data["file"],
        checked=form.checked,
    )

    text = _text(other_client.get(reverse("pairing:match_detail", args=[match.pk])))

    assert "2. (cancer* or tumour* or tumor*).ti,ab." in text
    assert "Line numbers are the strategy's own: cite those." in text
    assert "own, as pasted" not in text
