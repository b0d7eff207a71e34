"""Walk 11 polish: the CPD record in the order its rounds were held; the one-click skip and
pause pages say whom the link is for and what already stands; the introduction says when the
personal follow-up comes; Tab on the login page goes Email, Password, then "Forgot your
password?"; a deleted member is "A former member" everywhere; the matches CSV names its
times' zone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from pairing.models import Round
from tests.factories import ProgrammeFactory
from tests.feedback.builders import make_match, make_round

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- 1. The CPD record is in the order its rounds were held -----------------------------


def _held(programme_name: str, planned: dt.date, ran: dt.date, member, other) -> Round:
    pairing_round = make_round(ProgrammeFactory(name=programme_name), 1)
    finished = dt.datetime.combine(ran, dt.time(9), dt.UTC)
    Round.objects.filter(pk=pairing_round.pk).update(scheduled_for=planned, finished_at=finished)
    make_match(pairing_round, member, other)
    return pairing_round


@pytest.fixture
def rounds_run_early(member, other_member):
    """Three rounds, newest held first: Reading (planned 3 March, held 17 February),
    Cataloguing (planned and held 10 February), Research (planned 24 February, run early on
    3 February)."""
    _held("Research", dt.date(2026, 2, 24), dt.date(2026, 2, 3), member, other_member)
    _held("Cataloguing", dt.date(2026, 2, 10), dt.date(2026, 2, 10), member, other_member)
    _held("Reading", dt.date(2026, 3, 3), dt.date(2026, 2, 17), member, other_member)


def test_the_cpd_page_lists_rounds_newest_held_first_with_the_day_held(
    member_client, rounds_run_early
):
    text = _text(member_client.get(reverse("feedback:cpd")))

    shown = re.findall(r"(\d+ \w+ 2026): (\w+), round 1", text)
    assert shown == [
        ("17 February 2026", "Reading"),
        ("10 February 2026", "Cataloguing"),
        ("3 February 2026", "Research"),
    ]


def test_the_cpd_csv_lists_rounds_newest_held_first_with_the_day_held(
    member_client, rounds_run_early
):
    _header, *rows = _csv(member_client.get(reverse("feedback:cpd_csv")))

    assert [(row[1], row[2]) for row in rows] == [
        ("2026-02-17", "Reading"),
        ("2026-02-10", "Cataloguing"),
        ("2026-02-03", "Research"),
    ]
