"""Organisers' CSV lists: a programme's members, every membership of their programmes and a
round's matches. Names never ids, formula-safe cells, streamed, only the organiser's own
programmes (anything else a 404), the same number of queries for 5 rows as for 60, and
never a round's engine input."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairing.models import LeftOut, MatchMember, OutboxStatus
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round, send_intro

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _staff_organiser(*programmes):
    user = UserFactory(is_staff=True)
    for programme in programmes:
        programme.organisers.add(user)
    client = Client()
    client.force_login(user)
    return client


def test_members_csv_lists_current_members_by_name_formula_safe(organiser_client):
    programme = ProgrammeFactory(name="North West coffee", slug="north-west")
    ada = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    MembershipFactory(user=ada, programme=programme)
    sneaky = UserFactory(profile__display_name='=HYPERLINK("http://x","y")')
    MembershipFactory(user=sneaky, programme=programme, status="paused", paused_until="2099-01-01")
    MembershipFactory(
        user=UserFactory(profile__display_name="Gone Away"), programme=programme, status="left"
    )
    MembershipFactory(user=UserFactory(profile__display_name="Elsewhere"))

    response = organiser_client.get(reverse("organise:members_csv", args=[programme.pk]))

    rows = _rows(response)
    assert "north-west-members-" in response["Content-Disposition"]
    assert rows[0][:3] == ["Name", "Email address", "Job title"]
    names = [r[0] for r in rows[1:]]
    assert names == ['\'=HYPERLINK("http://x","y")', "Ada Lovelace"]
    ada_row = rows[2]
    assert ada_row[1] == "ada@example.org"
    assert "Active" in ada_row and "Health / NHS" in ada_row
    assert "Paused" in rows[1] and "2099-01-01" in rows[1]
    assert str(ada.pk) not in ada_row  # names, never ids


def test_members_csv_leaves_addresses_out_for_an_organiser_without_member_access(client):
    programme = ProgrammeFactory()
    MembershipFactory(user=UserFactory(email="ada@example.org"), programme=programme)
    client = _staff_organiser(programme)

    rows = _rows(client.get(reverse("organise:members_csv", args=[programme.pk])))

    assert rows[0][:2] == ["Name", "Job title"]
    assert "ada@example.org" not in str(rows)


def test_memberships_csv_covers_every_status_of_the_organisers_programmes_only(client):
    mine, mentoring = (
        ProgrammeFactory(name="Mine"),
        ProgrammeFactory(name="Mentors", kind="mentoring"),
    )
    theirs = ProgrammeFactory(name="Theirs")
    ada = UserFactory(profile__display_name="Ada Lovelace")
    MembershipFactory(user=ada, programme=mine, status="left")
    MembershipFactory(user=ada, programme=mentoring, mentoring_role="offer")
    MembershipFactory(user=UserFactory(profile__display_name="Other"), programme=theirs)
    client = _staff_organiser(mine, mentoring)

    rows = _rows(client.get(reverse("organise:memberships_csv")))

    assert rows[0][:3] == ["Name", "Programme", "Status"]
    assert [r[:3] for r in rows[1:]] == [
        ["Ada Lovelace", "Mentors", "Active"],
        ["Ada Lovelace", "Mine", "Left"],
    ]
    assert rows[1][5] == "Mentor"
    assert "Theirs" not in str(rows) and "Other" not in str(rows)


def test_matches_csv_names_each_group_with_roles_and_the_introduction(organiser_client):
    programme = ProgrammeFactory(name="Mentors", kind="mentoring")
    pairing_round = make_round(programme, 3)
    mentor = UserFactory(profile__display_name="Ada Lovelace")
    mentee = UserFactory(profile__display_name="@Grace")
    match = make_match(pairing_round, mentor, mentee, shared_interests=["=1+1", "Open access"])
    MatchMember.objects.filter(user=mentor).update(role="offer")
    MatchMember.objects.filter(user=mentee).update(role="seek")
    send_intro(match, status=OutboxStatus.FAILED)
    make_match(pairing_round, UserFactory(profile__display_name="Alan Turing"), UserFactory())

    rows = _rows(organiser_client.get(reverse("organise:matches_csv", args=[pairing_round.pk])))

    assert rows[0] == [
        "Programme",
        "Round",
        "Round date",
        "Group",
        "Members",
        "Host",
        "Suggested start (Europe/London time)",
        "Shared interests",
        "Score",
        "Introduction email",
    ]
    first = rows[1]
    assert first[:4] == ["Mentors", "3", "2026-03-03", "1"]
    assert first[4] == "Ada Lovelace (mentor); @Grace (mentee)"
    assert first[7] == "'=1+1; Open access" and first[9] == "Failed"
    assert rows[2][3] == "2" and rows[2][4].startswith("Alan Turing")


@pytest.mark.parametrize("name", ["members_csv", "matches_csv", "memberships_csv"])
def test_another_programmes_organiser_and_members_get_nothing(client, member_client, name):
    theirs = ProgrammeFactory(name="Theirs")
    MembershipFactory(user=UserFactory(profile__display_name="Secret Member"), programme=theirs)
    pairing_round = make_round(theirs, 1)
    make_match(pairing_round, UserFactory(profile__display_name="Secret Member 2"))
    args = {"members_csv": [theirs.pk], "matches_csv": [pairing_round.pk]}.get(name, [])
    url = reverse(f"organise:{name}", args=args)
    other = _staff_organiser(ProgrammeFactory(name="Mine"))

    mine = other.get(url)
    member = member_client.get(url)
    anonymous = Client().get(url)

    if name == "memberships_csv":  # a list of their own programmes: empty, not a 404
        assert "Secret" not in b"".join(mine.streaming_content).decode()
    else:
        assert mine.status_code == 404
    assert member.status_code == 404
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_a_round_that_does_not_exist_is_a_404(organiser_client):
    assert organiser_client.get(reverse("organise:matches_csv", args=[999])).status_code == 404


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        b"".join(response.streaming_content)
    return [q["sql"] for q in captured.captured_queries]


def test_exports_make_as_many_queries_for_60_rows_as_for_5(
    organiser_client, django_assert_max_num_queries
):
    programme = ProgrammeFactory()
    pairing_round = make_round(programme, 1)

    def grow(count):
        for _ in range(count):
            a, b = UserFactory(), UserFactory()
            MembershipFactory(user=a, programme=programme)
            MembershipFactory(user=b, programme=programme)
            send_intro(make_match(pairing_round, a, b, host=a))

    grow(5)
    urls = [
        reverse("organise:members_csv", args=[programme.pk]),
        reverse("organise:memberships_csv"),
        reverse("organise:matches_csv", args=[pairing_round.pk]),
    ]
    organiser_client.get(urls[0])  # the session
    few = {url: len(_queries(organiser_client, url)) for url in urls}
    grow(55)

    for url in urls:
        with django_assert_max_num_queries(few[url]):
            response = organiser_client.get(url)
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert len(rows) in {61, 121}  # 60 matches, or 120 members


def test_exports_never_read_a_rounds_engine_input_or_draft(organiser_client):
    programme = ProgrammeFactory()
    pairing_round = make_round(programme, 1)
    make_match(pairing_round, UserFactory(), UserFactory())

    sql = " ".join(
        _queries(organiser_client, reverse("organise:matches_csv", args=[pairing_round.pk]))
    ).lower()

    assert "snapshot" not in sql and "draft" not in sql


def test_a_rounds_delivery_page_links_its_matches_csv(organiser_client):
    done = make_round(ProgrammeFactory(), 1)
    make_match(done, UserFactory(), UserFactory())
    planned = make_round(ProgrammeFactory(), 1, status="planned")
    url = reverse("organise:matches_csv", args=[done.pk])

    page = organiser_client.get(reverse("admin:pairing_round_progress", args=[done.pk]))
    not_run = organiser_client.get(reverse("admin:pairing_round_progress", args=[planned.pk]))

    assert url in page.content.decode()
    assert "matches (CSV)" not in not_run.content.decode()
    assert "No matches yet." in not_run.content.decode()


def test_a_round_that_ran_with_nobody_matched_says_so(organiser_client):
    """Walk 48: a finished round where nobody could be matched read "No matches yet.",
    with a link to a CSV of no matches."""
    done = make_round(ProgrammeFactory(), 1)
    LeftOut.objects.create(pairing_round=done, user=UserFactory(), reason="you were alone")

    page = organiser_client.get(reverse("admin:pairing_round_progress", args=[done.pk]))
    body = page.content.decode()

    assert "Nobody could be matched this round: who was not placed, and why, is below." in body
    assert "No matches yet." not in body and "matches (CSV)" not in body
