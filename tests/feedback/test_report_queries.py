"""The evidence page, the evidence pack, /takeaways/ and the evaluations CSV stay within 20
queries however many rounds and evaluations there are, and never read a round's engine
input (its snapshot) or draft: at 5,000 members that is megabytes of JSON per round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import reports
from tests.factories import InterestFactory, MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round, send_intro
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def _community(programme, rounds: int, per_round: int) -> None:
    """`rounds` done rounds of `per_round` members in pairs, each sent an intro; every
    member evaluated, with a topic, a private comment and a shared takeaway."""
    topic = InterestFactory(name="Open access")
    for _ in range(per_round):
        MembershipFactory(programme=programme)
    for number in range(1, rounds + 1):
        pairing_round = make_round(programme, number)
        for _ in range(per_round // 2):
            a, b = UserFactory(), UserFactory()
            match = make_match(pairing_round, a, b, shared_interests=["Open access"])
            send_intro(match)
            for user in (a, b):
                evaluate(
                    match,
                    user,
                    usefulness=4,
                    minutes=30,
                    private_comment="Thanks",
                    takeaway="Ask for the protocol first.",
                    share_takeaway=True,
                ).topics.add(topic)


def _pages(programme) -> list[str]:
    return [
        reverse("feedback:programme_report", args=[programme.pk]),
        reverse("feedback:evidence_pack", args=[programme.pk]),
        reverse("feedback:programme_csv", args=[programme.pk]),
        reverse("feedback:takeaways"),
    ]


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    # A streamed CSV runs its queries as it is read.
    return b"".join(response.streaming_content) if response.streaming else response.content


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(("rounds", "per_round"), [(3, 60), (10, 12)])
def test_report_pages_and_export_stay_within_20_queries(
    organiser_client, django_assert_max_num_queries, rounds, per_round
):
    programme = ProgrammeFactory()
    _community(programme, rounds, per_round)

    for url in _pages(programme):
        with django_assert_max_num_queries(MAX_QUERIES):
            body = _get(organiser_client, url)
        assert body


def test_report_queries_do_not_grow_with_rounds_and_evaluations(organiser_client):
    small, large = ProgrammeFactory(), ProgrammeFactory()
    _community(small, 1, 6)
    _community(large, 10, 12)

    for small_url, large_url in zip(_pages(small), _pages(large), strict=True):
        assert len(_queries(organiser_client, small_url)) == len(
            _queries(organiser_client, large_url)
        ), large_url


def test_report_and_export_queries_never_read_a_rounds_snapshot_or_draft(organiser_client):
    programme = ProgrammeFactory()
    _community(programme, 2, 10)

    for url in _pages(programme):
        for sql in _queries(organiser_client, url):
            lowered = sql.lower()
            assert "snapshot" not in lowered, f"{url}: {sql}"
            assert '"draft"' not in lowered, f"{url}: {sql}"


def test_the_report_functions_never_read_a_rounds_snapshot_or_draft():
    programme = ProgrammeFactory()
    _community(programme, 2, 10)

    with CaptureQueriesContext(connection) as captured:
        reports.programme_report(programme=programme)
        reports.programme_report(programme=programme, exact=True)
        reports.programme_comments(programme=programme)
        [reports.takeaway_from(e) for e in reports.shared_takeaways(programme=programme)]
        list(reports.evaluations_csv_rows(programme=programme))
        reports.programme_rates(programmes=[programme])

    for query in captured.captured_queries:
        assert "snapshot" not in query["sql"].lower(), query["sql"]
        assert '"draft"' not in query["sql"].lower(), query["sql"]


def test_meeting_and_response_rates_for_many_programmes_in_two_queries(
    django_assert_num_queries,
):
    busy, quiet = ProgrammeFactory(), ProgrammeFactory()
    _community(busy, 2, 10)  # 20 seats, 20 evaluations, all met
    pairing_round = make_round(quiet, 1)
    match = make_match(pairing_round, UserFactory(), UserFactory())
    evaluate(match, match.members.first().user, met="no")

    with django_assert_num_queries(2):
        rates = reports.programme_rates(programmes=[busy, quiet])

    assert (rates[busy.pk].meeting_rate, rates[busy.pk].response_rate) == (100, 100)
    assert (rates[quiet.pk].evaluations, rates[quiet.pk].seats) == (1, 2)
    assert (rates[quiet.pk].meeting_rate, rates[quiet.pk].response_rate) == (0, 50)


def _set_programme(cycles: int):
    programme = learning_set_programme(group_size=5)
    join(programme, 10)
    for k in range(cycles):
        form_cycle(
            programme, now=timezone.now() + dt.timedelta(weeks=10 * k), sessions=2, interval_weeks=4
        )
    return programme


def test_learning_set_evidence_queries_do_not_grow_with_cycles(
    organiser_client, django_assert_max_num_queries
):
    one, three = _set_programme(1), _set_programme(3)
    assert three.cycles.count() == 3

    for one_url, three_url in zip(_pages(one)[:2], _pages(three)[:2], strict=True):
        with django_assert_max_num_queries(MAX_QUERIES):
            _get(organiser_client, three_url)
        assert len(_queries(organiser_client, one_url)) == len(
            _queries(organiser_client, three_url)
        ), three_url
