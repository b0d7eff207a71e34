"""Walk 34: a learning set's evidence page and pack counted "rounds run" ("One round, on
21 September 2026", a "Rounds run" tile) where the programme speaks of cycles."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgrammeFactory
from tests.feedback.builders import make_round
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _text(client, url: str) -> str:
    page = client.get(url).content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("view", ["feedback:programme_report", "feedback:evidence_pack"])
def test_a_learning_sets_evidence_counts_cycles(organiser_client, view):
    programme = learning_set_programme(name="Action learning")
    join(programme, 10)
    now = timezone.now()
    form_cycle(programme, now=now)

    text = _text(organiser_client, reverse(view, args=[programme.pk]))

    assert f"One cycle, on {timezone.localdate(now):%-d %B %Y}." in text
    assert "Cycles run 1" in text
    assert not re.search(r"\brounds?\b", text, re.I), re.findall(r".{30}\brounds?\b.{30}", text)


def test_a_coffee_programmes_evidence_still_counts_rounds(organiser_client):
    programme = ProgrammeFactory(name="Winter coffee")
    make_round(programme, 1)

    text = _text(organiser_client, reverse("feedback:programme_report", args=[programme.pk]))

    assert "One round, on " in text and "Rounds run 1" in text
    assert "from rounds run and members' feedback" in text
