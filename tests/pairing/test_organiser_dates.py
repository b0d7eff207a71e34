"""A round an organiser ran before its planned day is dated, on every organiser page and
list, by the day it ran (`Round.held_on`, as members see it); a round not yet run by its
planned day, said to be planned. Round 1 was planned for 20 June 2026 and ran at 23:30
UTC on 5 June, 00:30 on 6 June in London: the day it ran is the local one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from feedback.models import Evaluation
from pairing.models import Concern, Round
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, send_intro

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's visible words, tags stripped and spaces collapsed."""
    assert response.status_code == 200
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", body)).replace("( ", "(")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _round(programme, number, planned, ran=None, status="done") -> Round:
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=planned,
        status=status,
        seed=number,
        finished_at=ran,
    )


@pytest.fixture
def early():
    """Round 1 and round 2 each ran two weeks early; round 3 is planned."""
    programme = ProgrammeFactory(name="Search buddies", next_round_on=dt.date(2027, 1, 3))
    summer = _round(
        programme, 1, dt.date(2026, 6, 20), dt.datetime(2026, 6, 5, 23, 30, tzinfo=dt.UTC)
    )
    winter = _round(
        programme, 2, dt.date(2026, 12, 20), dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
    )
    _round(programme, 3, dt.date(2027, 1, 3), status="planned")
    for pairing_round in (summer, winter):
        one, other = UserFactory(), UserFactory()
        match = make_match(pairing_round, one, other)
        send_intro(match)
        evaluate(match, one)
    return programme, summer, winter


def test_the_organiser_home_dates_the_last_round_by_the_day_it_ran(organiser_client, early):
    text = _text(organiser_client.get(reverse("admin:index")))

    assert "Round 2, 6 Dec 2026: introductions and notices 1 sent" in text
    assert "20 Dec 2026" not in text


def test_the_rounds_list_dates_each_round_by_the_day_it_ran_or_says_planned(
    organiser_client, early
):
    url = reverse("admin:pairing_round_changelist")

    text = _text(organiser_client.get(url))
    # Sorted by that date, oldest first (`o` counts the columns from 0).
    ordered = _text(organiser_client.get(url + "?o=1"))

    assert "6 Dec 2026" in text and "6 Jun 2026" in text and "planned 3 Jan 2027" in text
    assert "20 Dec 2026" not in text and "20 Jun 2026" not in text
    assert ordered.index("6 Jun 2026") < ordered.index("6 Dec 2026")
    assert ordered.index("6 Dec 2026") < ordered.index("planned 3 Jan 2027")


def test_the_next_round_page_dates_recent_rounds_by_the_day_they_ran(organiser_client, early):
    programme, _, _ = early

    text = _text(
        organiser_client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    )

    assert "Round 3 (planned 3 Jan 2027): Planned" in text
    assert "Round 2 (6 Dec 2026): Done" in text
    assert "Round 1 (6 Jun 2026): Done" in text
    assert "20 Dec 2026" not in text and "20 Jun 2026" not in text


@pytest.mark.parametrize("page", ["programme_report", "evidence_pack"])
def test_the_evidence_says_the_rounds_ran_from_the_first_day_one_ran(organiser_client, early, page):
    programme, _, _ = early

    text = _text(organiser_client.get(reverse(f"feedback:{page}", args=[programme.pk])))

    assert "2 rounds, from 6 June 2026 to 6 December 2026." in text
    # The "Over rounds" table too.
    assert "Round 1 6 Jun 2026" in text and "Round 2 6 Dec 2026" in text
    assert "20 Jun 2026" not in text and "20 Dec 2026" not in text


def test_the_matches_csv_dates_the_round_by_the_day_it_ran(organiser_client, early):
    _, summer, winter = early

    winter_rows = _csv(organiser_client.get(reverse("organise:matches_csv", args=[winter.pk])))
    summer_rows = _csv(organiser_client.get(reverse("organise:matches_csv", args=[summer.pk])))

    assert winter_rows[0][2] == "Round date" and winter_rows[1][2] == "2026-12-06"
    assert summer_rows[1][2] == "2026-06-06"


def test_the_evaluations_csv_dates_each_round_by_the_day_it_ran(organiser_client, early):
    programme, _, _ = early

    rows = _csv(organiser_client.get(reverse("feedback:programme_csv", args=[programme.pk])))

    assert rows[0][:2] == ["Round", "Round date"]
    assert [row[:2] for row in rows[1:]] == [["1", "2026-06-06"], ["2", "2026-12-06"]]


def test_a_comment_on_the_evidence_page_names_the_day_its_round_ran(organiser_client, early):
    programme, _, winter = early
    match = make_match(winter, UserFactory(profile__display_name="Ann Author"), UserFactory())
    evaluation = evaluate(match, match.members.first().user, private_comment="Thanks!")
    Evaluation.objects.filter(pk=evaluation.pk).update(
        created_at=dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)
    )

    text = _text(organiser_client.get(reverse("feedback:programme_report", args=[programme.pk])))

    assert "Round of 6 December 2026; written 10 December 2026" in text


def test_the_concerns_list_dates_a_concerns_round_by_the_day_it_ran(organiser_client, early):
    _, _, winter = early
    match = winter.matches.first()
    Concern.objects.create(reporter=match.members.first().user, match=match, text="Late.")

    text = _text(organiser_client.get(reverse("admin:pairing_concern_changelist")))

    assert "Round 2 (6 Dec 2026)" in text and "20 Dec 2026" not in text


def test_a_shared_takeaway_is_dated_by_the_month_its_round_ran(member_client, organiser_client):
    programme = ProgrammeFactory(name="New year coffee")
    pairing_round = _round(
        programme, 1, dt.date(2027, 1, 4), dt.datetime(2026, 12, 28, 10, 0, tzinfo=dt.UTC)
    )
    match = make_match(pairing_round, UserFactory(), UserFactory())
    evaluate(match, match.members.first().user, takeaway="Ask the librarian.", share_takeaway=True)

    public = _text(member_client.get(reverse("feedback:takeaways")))
    pack = _text(organiser_client.get(reverse("feedback:evidence_pack", args=[programme.pk])))

    assert "December 2026" in public and "January 2027" not in public
    assert "December 2026" in pack and "January 2027" not in pack


def test_the_status_page_says_a_failed_round_was_planned_for_its_day(organiser_client, early):
    programme, _, _ = early
    Round.objects.filter(programme=programme, number=3).update(status="failed", error="Boom")

    text = _text(organiser_client.get(reverse("admin_status")))

    assert "Search buddies, round 3 (planned 3 Jan 2027): Boom" in text
