"""Mentoring says who is who everywhere, and seekers are served in order of waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from pairing import matching, rounds
from pairing.models import Block, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 12, 1)


def _member(programme, name, role, experience):
    user = UserFactory(profile__display_name=name, profile__experience=experience)
    MembershipFactory(user=user, programme=programme, mentoring_role=role)
    return user


def _run(programme, day=START):
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    return rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )


@pytest.fixture
def pair():
    programme = ProgrammeFactory(kind="mentoring", name="Mentoring North West")
    mentor = _member(programme, "Ada Mentor", "offer", 3)
    mentee = _member(programme, "Ben Mentee", "seek", 1)
    done = _run(programme)
    return done.matches.get(), mentor, mentee


def _intro(match):
    return build_message(OutboxEmail.objects.get(match=match, kind=OutboxKind.INTRO))


def test_intro_says_who_is_the_mentor_and_who_the_mentee(pair):
    match, _mentor, _mentee = pair

    message = _intro(match)

    assert "Ben Mentee is the mentee and Ada Mentor the mentor." in message.body
    assert "Ada Mentor: mentor" in message.body
    assert "Ben Mentee: mentee" in message.body
    assert "Ada Mentor</span>" not in message.alternatives[0][0]
    assert "Ada Mentor: mentor</h2>" in message.alternatives[0][0]


def test_a_mentoring_introduction_says_what_to_do_and_asks_mentoring_questions(pair):
    # Walk 46: it named the roles, then offered coffee-chat starters ("What does a typical
    # week look like in your job?") and nothing on what the pair should do.
    from pairing.kinds.mentoring import MENTORING

    match, _mentor, _mentee = pair

    text = " ".join(_intro(match).body.split())

    assert (
        "In your first conversation the mentee says what they would like help with, and "
        "together you agree what you will work on and how often you will meet."
    ) in text
    asked = [q for q in MENTORING.starters if q in text]
    assert len(asked) == 2


def test_calendar_title_names_mentor_and_mentee(pair):
    match, _mentor, _mentee = pair

    attachment = next(a for a in _intro(match).attachments if a[0].endswith(".ics"))
    event = Calendar.from_ical(attachment[1]).events[0]

    assert attachment[0] == "mentoring-introduction.ics"
    assert "Ada Mentor (mentor)" in str(event["SUMMARY"])
    assert "Ben Mentee (mentee)" in str(event["SUMMARY"])
    assert str(event["SUMMARY"]).startswith("Mentoring: ")


def test_match_page_tells_the_mentee_who_mentors_them(pair):
    match, _mentor, mentee = pair
    client = Client()
    client.force_login(mentee)

    page = client.get(f"/programmes/matches/{match.pk}/").content.decode()

    assert "you are the mentee</strong> and Ada Mentor is the mentor" in page
    assert "Ada Mentor: mentor" in page


def test_cpd_record_says_my_role_and_my_partners(pair):
    _match, mentor, _mentee = pair
    client = Client()
    client.force_login(mentor)

    page = client.get(reverse("feedback:cpd")).content.decode()
    csv = b"".join(client.get(reverse("feedback:cpd_csv")).streaming_content).decode()

    assert "My role" in page and "Mentor" in page
    assert "Mentee, " in page
    assert "Me: mentor; Mentee, " in csv


def test_coffee_intro_names_no_roles():
    programme = ProgrammeFactory()
    for name in ("Cy Coffee", "Di Coffee"):
        MembershipFactory(user=UserFactory(profile__display_name=name), programme=programme)

    message = _intro(_run(programme).matches.get())

    assert "mentor" not in message.body.lower()
    assert "SUGGESTED TIME (30 minutes)" in message.body


def test_the_engine_serves_the_longest_waiting_seeker_first():
    problem = {
        "programme": {"group_size": 2, "mentoring": True, "randomness": 0, "seed": 1},
        "members": [
            {"id": "mentor", "mentoring": "offer", "interests": ["a"]},
            {"id": "waited-3", "mentoring": "seek", "waited": 3},
            {"id": "waited-1", "mentoring": "seek", "waited": 1, "interests": ["a"]},
        ],
    }

    solution = matching.solve(problem)

    assert solution["groups"][0]["members"] in (["mentor", "waited-3"], ["waited-3", "mentor"])
    assert solution["unplaced"][0]["id"] == "waited-1"


def test_round_problem_counts_the_rounds_a_member_has_waited_in_a_row():
    programme = ProgrammeFactory(kind="mentoring")
    mentor = _member(programme, "Only Mentor", "offer", 3)
    seekers = [_member(programme, f"Seeker {n}", "seek", 1) for n in range(3)]
    for week in range(3):
        _run(programme, START + dt.timedelta(weeks=4 * week))
    last = rounds.round_plan(programme=programme, scheduled_for=START + dt.timedelta(weeks=8))
    latest = set(last.matches.values_list("members__user", flat=True))
    pairing_round = rounds.round_plan(
        programme=programme, scheduled_for=START + dt.timedelta(weeks=12)
    )
    eligible = rounds.round_eligibility(programme=programme, today=START).eligible

    problem = rounds.round_problem(pairing_round=pairing_round, memberships=eligible)

    waited = {m["id"]: m["waited"] for m in problem["members"]}
    # One mentor, three seekers, three rounds, longest waiting served first: the seeker
    # matched last has waited 0 rounds, the others 1 and 2 rounds in a row.
    assert waited[str(mentor.pk)] == 0
    assert sorted(waited[str(s.pk)] for s in seekers) == [0, 1, 2]
    assert {s.pk for s in seekers if waited[str(s.pk)] == 0} == latest - {mentor.pk}


def test_a_mentor_left_waiting_is_not_promised_an_introduction():
    """Three mentors, two mentees, one of whom blocked every mentor: the preview says how
    many really wait (three, not the difference of one), and the waiting mentors' email
    promises no introduction next round (one needs someone to ask for a mentor)."""
    programme = ProgrammeFactory(kind="mentoring", name="Mentoring North West")
    mentors = [_member(programme, f"Mentor {c}", "offer", 3) for c in "ABC"]
    mentees = [_member(programme, f"Mentee {c}", "seek", 1) for c in "DE"]
    for mentor in mentors:  # Mentee D asked not to meet any of them: D waits too
        Block.objects.create(user=mentees[0], blocked=mentor)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    preview = rounds.round_preview(pairing_round=pairing_round, today=START)
    waiting = [u["membership"].user for u in preview.unplaced]
    assert len(waiting) == 3
    assert any("3 will wait" in w for w in preview.warnings)

    done = rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(START, dt.time(9), tzinfo=dt.UTC)
    )
    waiting_mentors = [u for u in waiting if u in mentors]
    assert waiting_mentors
    for user in waiting_mentors:
        row = OutboxEmail.objects.get(pairing_round=done, user=user, kind=OutboxKind.LEFT_OUT)
        text = build_message(row).body
        assert "you have priority when someone asks for one" in text
        assert "first in line" not in text
        assert "introduce you then" not in text and "first in line next round" not in text
