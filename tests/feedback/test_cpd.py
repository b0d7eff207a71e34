"""A member's own CPD record: their meetings and reflections, partners by role and sector
only, as a printable page and a formula-safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from feedback import reports
from pairing.models import Programme
from tests.factories import InterestFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round

pytestmark = pytest.mark.django_db
CPD = reverse("feedback:cpd")
CPD_CSV = reverse("feedback:cpd_csv")


@pytest.fixture
def partner():
    return UserFactory(
        email="dorothy@example.org",
        profile__display_name="Dorothy Vaughan",
        profile__role_band="manager",
        profile__sector="academic",
        profile__organisation="Secret University",
    )


@pytest.fixture
def my_match(member, partner, programme):
    return make_match(make_round(programme, 1), member, partner)


@pytest.fixture
def my_evaluation(my_match, member):
    evaluation = evaluate(
        my_match,
        member,
        usefulness=4,
        minutes=40,
        topics_other="Chartership portfolios",
        next_steps="Try the PRESS checklist on my next search.",
        takeaway="Peer review catches missing synonyms.",
        private_comment="Only for the organisers.",
    )
    evaluation.topics.add(InterestFactory(name="Systematic searching"))
    return evaluation


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_cpd_record_shows_my_meeting_and_reflections(member_client, my_evaluation):
    html = member_client.get(CPD).content.decode()

    assert "North West coffee, round 1" in html
    assert "6 January 2026" in html
    assert "Yes, we met" in html and "40 minutes" in html and "4 out of 5" in html
    assert "Systematic searching; Chartership portfolios" in html
    assert "Try the PRESS checklist on my next search." in html
    assert "Peer review catches missing synonyms." in html
    assert html.count("<h1") == 1


def test_cpd_record_describes_partners_by_role_and_sector_only(member_client, my_evaluation):
    html = member_client.get(CPD).content.decode()

    assert "Manager / head of service, Academic / higher education" in html
    assert "Dorothy Vaughan" not in html
    assert "dorothy@example.org" not in html
    assert "Secret University" not in html


def test_cpd_record_lists_only_my_meetings(member_client, member, other_member, my_evaluation):
    elsewhere = Programme.objects.create(name="Search review circle")
    theirs = make_match(make_round(elsewhere, 1), other_member, UserFactory())
    evaluate(theirs, other_member, next_steps="Their own plans")

    html = member_client.get(CPD).content.decode()

    assert "Search review circle" not in html
    assert "Their own plans" not in html


def test_cpd_record_never_shows_my_partners_feedback(member_client, my_match, partner):
    evaluate(my_match, partner, next_steps="Partner's plans", takeaway="Partner's takeaway")

    html = member_client.get(CPD).content.decode()

    assert "Partner&#x27;s plans" not in html
    assert "Partner&#x27;s takeaway" not in html
    # My own answer is missing, and the round (January 2026) closed long ago.
    assert "Not recorded" in html and "Not recorded yet" not in html


def test_cpd_record_leaves_out_my_private_comment(member_client, my_evaluation):
    assert "Only for the organisers." not in member_client.get(CPD).content.decode()


def test_cpd_record_shows_a_deleted_partner_as_a_former_member(member_client, my_match, partner):
    partner.delete()

    assert "A former member" in member_client.get(CPD).content.decode()


def test_cpd_record_says_when_there_is_nothing_yet(member_client):
    html = member_client.get(CPD).content.decode()

    assert "Nothing here yet" in html


def test_cpd_record_totals_meetings_and_minutes(member, my_evaluation, programme):
    later = make_match(make_round(programme, 2), member, UserFactory())
    evaluate(later, member, minutes=20)

    rows = reports.cpd_rows(user=member)

    assert [r.round_number for r in rows] == [2, 1]
    assert sum(r.minutes for r in rows) == 60


def test_cpd_csv_has_a_header_and_my_rows(member_client, my_evaluation):
    response = member_client.get(CPD_CSV)
    header, *rows = _csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-cpd-record-')
    assert header == reports.CPD_HEADER
    [row] = rows
    assert row == [
        "Meeting",
        "2026-01-06",
        "North West coffee",
        "Round 1",
        "Manager / head of service, Academic / higher education",
        "Yes, we met",
        "40",
        "4",
        "Systematic searching; Chartership portfolios",
        "Try the PRESS checklist on my next search.",
        "Peer review catches missing synonyms.",
        "",  # a reflection is a learning-set session's
        "",  # no search-strategy review in a coffee programme
    ]
    assert "Dorothy" not in str(rows)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example")', "+1", "-1", "@SUM(A1)"])
def test_cpd_csv_prefixes_formula_cells_with_a_quote(member_client, my_match, member, text):
    evaluate(my_match, member, next_steps=text, takeaway=text)

    header, row = _csv(member_client.get(CPD_CSV))

    assert row[header.index("What I will do next")] == "'" + text
    assert row[header.index("Takeaway")] == "'" + text


def test_cpd_programme_name_starting_with_a_formula_is_escaped(member_client, member):
    programme = Programme.objects.create(name="=cmd|' /C calc'!A0")
    make_match(make_round(programme, 1), member, UserFactory())

    header, row = _csv(member_client.get(CPD_CSV))

    assert row[header.index("Programme")] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("url", [CPD, CPD_CSV])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_dashboard_links_to_my_cpd_record_and_shared_takeaways(member_client):
    html = member_client.get(reverse("members:dashboard")).content.decode()

    assert f'<a href="{CPD}">My CPD record</a>' in html
    assert f'<a href="{reverse("feedback:takeaways")}">Shared takeaways</a>' in html


@pytest.mark.django_db
def test_a_learning_set_in_the_cpd_record_counts_its_sessions_not_an_unrecorded_meeting():
    from django.test import Client

    from members.models import User
    from pairing.sets.models import SessionCheckIn
    from pairing.sets.selectors import set_member_ids
    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    member = User.objects.get(pk=set_member_ids(learning_set)[0])
    first = learning_set.sessions.order_by("number").first()
    SessionCheckIn.objects.create(session=first, user=member, attended=True, minutes=200)
    client = Client()
    client.force_login(member)

    text = client.get(reverse("feedback:cpd")).content.decode()

    assert "1 introduction, 0 meetings held, 1 learning set session attended" in text
    assert "200 minutes in total" in text
    assert "See the learning set sessions below" in text
    assert "Not recorded yet" not in text


def test_a_round_run_early_is_dated_the_day_it_ran_not_the_day_planned(
    member_client, my_match, member
):
    """An organiser ran round 1 (planned for 6 January) on 2 January: the record dates the
    introduction 2 January, never after the day it was produced."""
    pairing_round = my_match.pairing_round
    pairing_round.finished_at = dt.datetime(2026, 1, 2, 10, tzinfo=dt.UTC)
    pairing_round.save(update_fields=["finished_at"])

    html = member_client.get(CPD).content.decode()
    rows = _csv(member_client.get(CPD_CSV))

    assert "2 January 2026: North West coffee, round 1" in html
    assert "6 January 2026" not in html
    assert rows[1][rows[0].index("Date")] == "2026-01-02"


def test_an_unanswered_round_says_yet_only_while_feedback_is_open(
    member_client, member, partner, programme
):
    """Walk 28: a round whose feedback had closed still said "Not recorded yet", as if it
    could be. One query finds which rounds have closed, however many are listed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.feedback.evaluation_helpers import done_round

    now = timezone.now()
    old = done_round(programme, finished_at=now - dt.timedelta(weeks=12))
    recent = done_round(programme, finished_at=now - dt.timedelta(days=10))
    for pairing_round in (old, recent):
        make_match(pairing_round, member, partner)

    rows = {r.round_number: r.met for r in reports.cpd_rows(user=member)}
    with CaptureQueriesContext(connection) as two:
        html = member_client.get(CPD).content.decode()

    assert rows == {old.number: "Not recorded", recent.number: "Not recorded yet"}
    assert html.count("Not recorded yet") == 1
    for months in range(4, 12):  # eight more closed rounds: no more queries
        ran = now - dt.timedelta(weeks=4 * months)
        make_match(done_round(programme, finished_at=ran), member, partner)
    with CaptureQueriesContext(connection) as ten:
        html = member_client.get(CPD).content.decode()
    assert len(ten) == len(two)
    assert html.count("Not recorded yet") == 1 and html.count("Not recorded") == 10
