"""Walk 24: the organiser home writes big counts with thousands separators ("5,000
members eligible", not "5000"), every count on it, while addresses keep bare ids."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members.invitations.models import Invitation
from pairing.organiser_home import ProgrammeSummary, Rate
from tests.factories import ProgrammeFactory
from tests.feedback.evaluation_helpers import done_round
from tests.pairing.set_helpers import learning_set_programme

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", body))


def test_the_organiser_home_writes_a_count_over_a_thousand_with_a_comma(organiser_client):
    programme = ProgrammeFactory(name="National coffee")
    later = timezone.now() + dt.timedelta(days=14)
    Invitation.objects.bulk_create(
        Invitation(programme=programme, email=f"person{n}@example.org", expires_at=later)
        for n in range(1200)
    )

    text = _text(organiser_client.get(reverse("admin:index")))

    assert "Invitations pending 1,200 waiting for an answer" in text
    assert "1200" not in text


def test_every_count_on_the_organiser_home_has_thousands_separators(programme):
    last = done_round(programme, finished_at=RAN, number=3)
    summary = ProgrammeSummary(
        programme=programme,
        eligible=5000,
        last_round=last,
        sent=4990,
        failed=1001,
        waiting=1002,
        not_sent=1003,
        left_out=1004,
        met=Rate(3210, 4321),
        responses=Rate(4321, 9876),
        rounds_asked=2,
        new_concerns=1005,
        open_concerns=1006,
        invitations_pending=1007,
    )

    page = render_to_string("admin/pairing/organiser_home.html", {"programme_summaries": [summary]})
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))

    for words in [
        "5,000 members eligible",
        "4,990 sent, 1,001 failed , 1,002 waiting, 1,003 not sent",
        "1,004 left out last round",
        "3,210 of 4,321 answers (74%)",
        "4,321 answers so far; 4,321 of the 9,876 members asked answered",
        "1,005 new",
        "1,006 in progress",
        "1,007 waiting for an answer",
        "Round 3,",
    ]:
        assert words in text, words
    assert f"programme={programme.pk}" in page  # addresses keep bare ids


def test_learning_set_counts_on_the_organiser_home_have_separators():
    programme = learning_set_programme()
    summary = ProgrammeSummary(
        programme=programme,
        eligible=0,
        last_round=None,
        attended=Rate(1500, 2000),
        sessions_asked=1200,
    )

    page = render_to_string("admin/pairing/organiser_home.html", {"programme_summaries": [summary]})

    assert "1,500 of 2,000 check-ins (75%)" in page
    assert "2,000 after 1,200 sessions" in page
