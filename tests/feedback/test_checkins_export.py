"""A learning-set programme's session check-ins, exported for its organisers: names and
answers, never the private reflection, and only to the programme's organisers."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback import reports
from pairing.sets.models import SessionCheckIn
from pairing.sets.selectors import set_member_ids
from tests.factories import UserFactory
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_check_ins_csv_lists_each_answer_without_the_reflection():
    programme = learning_set_programme()
    join(programme, 10)
    cycle, sets = form_cycle(programme)
    first = sets[0].sessions.order_by("number").first()
    author_id, absent_id = set_member_ids(sets[0])[:2]
    SessionCheckIn.objects.create(
        session=first, user_id=author_id, attended=True, usefulness=4, minutes=180,
        reflection="=private words about a colleague",
    )  # fmt: skip
    SessionCheckIn.objects.create(session=first, user_id=absent_id, attended=False)
    organiser = UserFactory(is_staff=True, profile__display_name="Olive Organiser")
    programme.organisers.add(organiser)
    client = _client(organiser)

    page = client.get(reverse("feedback:programme_report", args=[programme.pk])).content.decode()
    url = reverse("feedback:checkins_csv", args=[programme.pk])
    assert url in page
    assert reverse("feedback:programme_csv", args=[programme.pk]) not in page  # no evaluations
    response = client.get(url)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))

    assert header == reports.CHECKIN_HEADER
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    author = first.learning_set.match.members.get(user_id=author_id).user
    assert row["Member"] == author.profile.display_name
    assert (row["Learning set"], row["Session"]) == (str(sets[0].number), "1")
    assert row["Session date"] == timezone.localdate(first.starts_at).isoformat()
    assert row["Cycle from"] == cycle.first_session_on.isoformat()
    assert (row["Attended"], row["Usefulness (1-5)"], row["Minutes"]) == ("yes", "4", "180")
    assert rows[1][header.index("Attended")] == "no"
    assert "private words" not in body


def test_another_programmes_organiser_gets_a_404():
    programme = learning_set_programme()
    stranger = UserFactory(is_staff=True)

    response = _client(stranger).get(reverse("feedback:checkins_csv", args=[programme.pk]))

    assert response.status_code == 404
