"""Walk 19: a member who deleted their account after being introduced still counts as
introduced on the evidence page and pack (their evaluation is kept without a name), so
"Evaluations received" never exceeds "Members introduced"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback import reports
from feedback.models import Evaluation
from members.services import member_delete
from pairing.models import MatchMember
from tests.factories import UserFactory
from tests.feedback.builders import make_match, make_round, send_intro

pytestmark = pytest.mark.django_db


def _headline(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd[^>]*>([^<]*)</dd>", html)
    assert match, label
    return match.group(1)


@pytest.fixture
def everyone_answered(programme):
    """13 pairs introduced; all 26 answered; then one member deleted their account."""
    pairing_round = make_round(programme, 1)
    for _ in range(13):
        send_intro(make_match(pairing_round, UserFactory(), UserFactory()))
    seats = list(MatchMember.objects.filter(match__pairing_round=pairing_round))
    for seat in seats:
        Evaluation.objects.create(match=seat.match, user=seat.user, met="yes", usefulness=4)
    member_delete(user=seats[0].user)
    return programme


def test_a_deleted_member_is_still_counted_as_introduced(everyone_answered):
    page = reports.programme_report(programme=everyone_answered, exact=True)
    pack = reports.programme_report(programme=everyone_answered)

    assert page["evaluations"] == 26
    assert page["members_introduced"] == 26
    assert (pack["evaluations"], pack["members_introduced"]) == (26, 26)


def test_the_evidence_page_shows_as_many_introduced_as_evaluations(
    everyone_answered, client, organiser
):
    client.force_login(organiser)
    url = reverse("feedback:programme_report", args=[everyone_answered.pk])
    html = client.get(url).content.decode()

    assert _headline(html, "Evaluations received") == "26"
    assert _headline(html, "Members introduced") == "26"
