"""The mentoring section of a programme's evidence: mentors and mentees now and so far,
pairs made and mentees left out by round, usefulness as each side rated it; exact on the
organiser page, small groups protected in the pack, counted in a fixed number of queries.
The programme runs through the project's own services: rounds planned and run,
evaluations submitted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.mentoring_evidence import mentoring_evidence
from feedback.services import evaluation_submit
from pairing import rounds
from pairing.models import Match, Programme, Round
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 6)


def mentoring_programme(name: str = "New professionals mentoring") -> Programme:
    return ProgrammeFactory(kind="mentoring", name=name)


def member(programme: Programme, name: str, role: str, **membership: object):
    experience = 3 if role == "offer" else 1
    user = UserFactory(profile__display_name=name, profile__experience=experience)
    MembershipFactory(user=user, programme=programme, mentoring_role=role, **membership)
    return user


def ran_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def run_round(programme: Programme, number: int) -> Round:
    day = START + dt.timedelta(days=28 * (number - 1))
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    return rounds.round_run(pairing_round=pairing_round, now=ran_at(day))


def evaluate_round(done: Round, usefulness: dict[str, int]) -> None:
    """Every member of every match of `done` rates it: `usefulness` by role."""
    now = ran_at(done.scheduled_for) + dt.timedelta(days=3)
    for match in Match.objects.filter(pairing_round=done).prefetch_related("members"):
        for seat in match.members.all():
            evaluation_submit(
                match=match,
                user=seat.user,
                data={"met": "yes", "usefulness": usefulness[seat.role], "minutes": 45},
                topics=[],
                now=now,
            )


def section(html: str) -> str:
    """The mentoring section of a rendered evidence page or pack ("" if there is none)."""
    found = re.search(r'<section aria-labelledby="mentoring-heading">.*?</section>', html, re.S)
    return found.group(0) if found else ""


def figures(html: str) -> dict[str, str]:
    """The section's headline figures, label to what is shown."""
    return dict(re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", section(html), re.S))


def round_rows(html: str) -> list[list[str]]:
    """The by-round table's rows, each as the texts of its cells."""
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", section(html), re.S)
    return [[label, *re.findall(r"<td[^>]*>(.*?)</td>", cells)] for label, cells in rows]


def page(client, programme: Programme, name: str = "feedback:programme_report") -> str:
    response = client.get(reverse(name, args=[programme.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def scheme():
    """4 mentors (one joins after round 2) and 5 mentees who stay; a member yet to choose,
    a paused mentee and one who left. Rounds 1 and 2: 3 pairs, 2 mentees left out; round
    3: 4 pairs, 1 left out. Rounds 1 and 2 are rated 5 then 4 by mentees, 3 by mentors."""
    programme = mentoring_programme()
    for name in ("Ada Mentor", "Bea Mentor", "Cy Mentor"):
        member(programme, name, "offer")
    for name in ("Dan Mentee", "Eve Mentee", "Fay Mentee", "Gus Mentee", "Hal Mentee"):
        member(programme, name, "seek")
    MembershipFactory(programme=programme, mentoring_role="")
    member(programme, "Ivy Paused", "seek", status="paused", paused_until=dt.date(2099, 1, 1))
    member(programme, "Jo Left", "seek", status="left")
    evaluate_round(run_round(programme, 1), {"seek": 5, "offer": 3})
    evaluate_round(run_round(programme, 2), {"seek": 4, "offer": 3})
    member(programme, "Kit Mentor", "offer")
    run_round(programme, 3)
    return programme


def test_the_organiser_reads_the_balance_of_mentors_and_mentees_exactly(organiser_client, scheme):
    html = page(organiser_client, scheme)

    assert figures(html) == {
        "Active members offering mentoring": "4",
        "Active members seeking a mentor": "5",
        "Active members who have not yet chosen a role": "1",
        "Members paired as mentees so far": "5",
        "Members paired as mentors so far": "4",
        "Mean usefulness rated by mentees (1-5)": "4.5 (6 ratings)",
        "Mean usefulness rated by mentors (1-5)": "3.0 (6 ratings)",
    }
    assert "More members seek a mentor than offer to be one" in section(html)


def test_the_organiser_reads_pairs_and_mentees_left_out_newest_round_first(
    organiser_client, scheme
):
    html = page(organiser_client, scheme)

    assert [[row[0], row[2], row[3]] for row in round_rows(html)] == [
        ["Round 3", "4", "1"],
        ["Round 2", "3", "2"],
        ["Round 1", "3", "2"],
    ]
    assert round_rows(html)[2][1] == "6 Jan 2026"
    assert '<th scope="col" class="num">Mentees left out</th>' in section(html)
    assert "<caption>Pairs made and mentees left out, by round, newest first</caption>" in html
    assert "seeking a mentor now" in section(html)  # counted by today's role, and says so


def test_the_pack_hides_counts_of_one_to_four(organiser_client, scheme):
    html = page(organiser_client, scheme, "feedback:evidence_pack")

    shown = figures(html)
    assert shown["Active members offering mentoring"] == "fewer than 5"
    assert shown["Active members seeking a mentor"] == "5"
    assert shown["Active members who have not yet chosen a role"] == "fewer than 5"
    assert shown["Members paired as mentors so far"] == "fewer than 5"
    # Beside the 4 mentors and the headline's 9 members introduced, 5 would give 4 away.
    assert shown["Members paired as mentees so far"] == "not shown"
    assert shown["Mean usefulness rated by mentees (1-5)"] == "4.5 (6 ratings)"
    assert [row[2:] for row in round_rows(html)] == [["fewer than 5", "fewer than 5"]] * 3
    assert "More members seek a mentor" not in html  # it would tell 4 offer


def test_a_mean_from_fewer_than_five_ratings_is_not_in_the_pack(organiser_client):
    programme = mentoring_programme()
    member(programme, "Ada Mentor", "offer")
    member(programme, "Dan Mentee", "seek")
    evaluate_round(run_round(programme, 1), {"seek": 5, "offer": 2})

    exact = figures(page(organiser_client, programme))
    pack = figures(page(organiser_client, programme, "feedback:evidence_pack"))

    assert exact["Mean usefulness rated by mentors (1-5)"] == "2.0 (1 rating)"
    assert pack["Mean usefulness rated by mentors (1-5)"] == "fewer than 5 ratings"
    assert pack["Mean usefulness rated by mentees (1-5)"] == "fewer than 5 ratings"


def test_only_a_mentoring_programmes_organisers_see_the_section(
    organiser_client, member_client, scheme, programme
):
    assert section(page(organiser_client, scheme))
    assert not section(page(organiser_client, programme))  # a coffee programme
    assert "Mentors and mentees" not in page(organiser_client, programme)
    for name in ("feedback:programme_report", "feedback:evidence_pack"):
        response = member_client.get(reverse(name, args=[scheme.pk]))
        assert response.status_code == 404
        assert b"mentee" not in response.content


def test_the_page_shows_the_latest_12_rounds_and_the_pack_the_latest_4(organiser_client):
    programme = mentoring_programme()
    member(programme, "Ada Mentor", "offer")
    member(programme, "Dan Mentee", "seek")
    for number in range(1, 14):
        run_round(programme, number)

    on_page = round_rows(page(organiser_client, programme))
    in_pack = round_rows(page(organiser_client, programme, "feedback:evidence_pack"))

    assert [row[0] for row in on_page] == [f"Round {n}" for n in range(13, 1, -1)]
    assert [row[0] for row in in_pack] == [f"Round {n}" for n in range(13, 9, -1)]
    assert "newest first (the latest 12)</caption>" in page(organiser_client, programme)


def _scheme_of(mentors: int, mentees: int, number_of_rounds: int) -> Programme:
    programme = mentoring_programme(f"Mentoring {mentors} by {number_of_rounds}")
    for k in range(mentors):
        member(programme, f"Mentor {k}", "offer")
    for k in range(mentees):
        member(programme, f"Mentee {k}", "seek")
    for number in range(1, number_of_rounds + 1):
        evaluate_round(run_round(programme, number), {"seek": 4, "offer": 5})
    return programme


def _sql(callable_) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return [q["sql"] for q in captured.captured_queries]


def test_the_section_takes_six_queries_whatever_the_rounds_and_members(
    organiser_client, django_assert_num_queries
):
    small, large = _scheme_of(1, 2, 1), _scheme_of(6, 9, 5)

    for programme in (small, large):
        for exact in (True, False):
            with django_assert_num_queries(6):
                evidence = mentoring_evidence(programme=programme, exact=exact)
            assert evidence["rounds"]
    for sql in _sql(lambda: mentoring_evidence(programme=large, exact=True)):
        assert "snapshot" not in sql.lower() and '"draft"' not in sql.lower(), sql
    for name in ("feedback:programme_report", "feedback:evidence_pack"):
        small_sql = _sql(lambda name=name: page(organiser_client, small, name))
        large_sql = _sql(lambda name=name: page(organiser_client, large, name))
        assert len(small_sql) == len(large_sql), name
    assert figures(page(organiser_client, large))["Members paired as mentors so far"] == "6"
