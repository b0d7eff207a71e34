"""Walk 9 polish: what a member or an organiser reads on the evidence page, under a
strategy, in the "did you meet?" email and in their CPD record's CSV."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from feedback.strategies.forms import StrategyForm
from feedback.strategies.services import strategy_share
from tests.feedback.builders import make_round
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme, upload

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- Bug 2: several rounds on one day are not a range of dates ----------------------------


@pytest.mark.parametrize("name", ["programme_report", "evidence_pack"])
def test_rounds_run_on_one_day_say_so_with_their_count(programme, organiser_client, name):
    ran = dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
    for number in (1, 2, 3):
        make_round(programme, number)
    programme.rounds.update(finished_at=ran)

    text = _text(organiser_client.get(reverse(f"feedback:{name}", args=[programme.pk])))

    assert "3 rounds, all on 6 December 2026." in text
    assert "from 6 December 2026 to 6 December 2026" not in text


@pytest.mark.parametrize("name", ["programme_report", "evidence_pack"])
def test_rounds_on_different_days_give_their_count_and_range(programme, organiser_client, name):
    for number in (1, 2, 3):
        make_round(programme, number)

    text = _text(organiser_client.get(reverse(f"feedback:{name}", args=[programme.pk])))

    assert "3 rounds, from 6 January 2026 to 3 March 2026." in text


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
