"""Walk 14: a mentoring programme's evaluations CSV says whether each member was the
mentor or the mentee in that match (the organiser's evidence of each side's view)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from feedback import reports
from pairing.models import MatchMember
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_round

pytestmark = pytest.mark.django_db


def _rows(client, programme) -> tuple[list[str], list[dict]]:
    response = client.get(reverse("feedback:programme_csv", args=[programme.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(body))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def test_a_mentoring_export_names_each_members_role_in_the_match(organiser_client):
    programme = ProgrammeFactory(kind="mentoring", name="New professionals mentoring")
    pairing_round = make_round(programme, 1)
    mentor = UserFactory(profile__display_name="Marcus Mentor")
    mentee = UserFactory(profile__display_name="Mina Mentee")
    match = pairing_round.matches.create()
    for user, role in ((mentor, "offer"), (mentee, "seek")):
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user, role=role)
    evaluate(match, mentee, usefulness=5)
    evaluate(match, mentor, usefulness=4)

    header, rows = _rows(organiser_client, programme)

    assert header[3:6] == ["Member", "Role", "Met"]
    assert {(row["Member"], row["Role"]) for row in rows} == {
        ("Marcus Mentor", "mentor"),
        ("Mina Mentee", "mentee"),
    }


def test_other_kinds_keep_the_export_without_a_role_column(organiser_client, programme):
    header, _ = _rows(organiser_client, programme)

    assert header == reports.EVALUATION_HEADER and "Role" not in header
