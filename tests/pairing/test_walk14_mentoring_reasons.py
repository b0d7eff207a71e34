"""A mentee left out is told the true reason (walk 14: a mentee who meets only in person in
London, with every mentor online, was told more members asked for a mentor than offered,
and promised an introduction next round), and only promised one the mentors can keep."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from pairing.models import LeftOut, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.rounds.reasons import explain_unplaced
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 12, 1)
PROMISE = "we will introduce you then"


def _member(programme, name, role, experience, **profile):
    user = UserFactory(
        profile__display_name=name,
        profile__experience=experience,
        **{f"profile__{k}": v for k, v in profile.items()},
    )
    MembershipFactory(user=user, programme=programme, mentoring_role=role)
    return user


def _run(programme, day=START):
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    return rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )


def _email(done, user):
    row = OutboxEmail.objects.get(pairing_round=done, user=user, kind=OutboxKind.LEFT_OUT)
    return build_message(row)


@pytest.fixture
def programme():
    return ProgrammeFactory(kind="mentoring", name="New professionals mentoring")


def test_a_mentee_who_meets_only_in_person_with_every_mentor_online_is_told_so(programme):
    _member(programme, "Ada Mentor", "offer", 3, meeting_format="online")
    _member(programme, "Ben Mentee", "seek", 1, meeting_format="online")
    cara = _member(programme, "Cara Mentee", "seek", 1, meeting_format="in_person", region="london")

    done = _run(programme)

    left = LeftOut.objects.get(pairing_round=done, user=cara)
    assert left.reason == (
        "no mentor taking part this round can meet in person in London: we will introduce "
        "you as soon as a mentor who can be matched with you takes part"
    )
    assert not left.first_in_line
    body = _email(done, cara).body
    assert "can meet in person in London" in body
    assert "more members asked for a mentor" not in body
    assert "first in line" not in body and PROMISE not in body


def test_a_mentee_more_experienced_than_every_mentor_is_told_so(programme):
    _member(programme, "Ada Mentor", "offer", 2)
    _member(programme, "Ben Mentee", "seek", 1)
    dev = _member(programme, "Dev Mentee", "seek", 3)  # 15 years or more

    done = _run(programme)

    left = LeftOut.objects.get(pairing_round=done, user=dev)
    assert left.reason.startswith("no mentor this round has at least as much experience as you:")
    assert not left.first_in_line
    message = _email(done, dev)
    assert "more members asked for a mentor" not in message.body
    assert PROMISE not in message.body
    assert "first next time" not in message.subject


def test_mentees_one_mentor_cannot_take_next_round_are_not_promised_an_introduction(programme):
    _member(programme, "Ada Mentor", "offer", 3)
    mentees = [_member(programme, f"Mentee {c}", "seek", 1) for c in "BCD"]

    done = _run(programme)

    waiting = [m for m in mentees if LeftOut.objects.filter(pairing_round=done, user=m).exists()]
    assert len(waiting) == 2
    for user in waiting:
        left = LeftOut.objects.get(pairing_round=done, user=user)
        assert left.reason == (
            "more members asked for a mentor than offered to be one this round: each round, "
            "those who have waited longest are offered a mentor first"
        )
        assert not left.first_in_line
        message = _email(done, user)
        assert "first in line" not in message.body and PROMISE not in message.body
        assert "first next time" not in message.subject


def test_a_mentee_the_mentors_can_take_next_round_is_promised_and_introduced(programme):
    for c in "AB":
        _member(programme, f"Mentor {c}", "offer", 3)
    mentees = [_member(programme, f"Mentee {c}", "seek", 1) for c in "CDE"]

    done = _run(programme)

    left = LeftOut.objects.get(pairing_round=done)
    assert left.first_in_line
    assert "you have priority" in _email(done, left.user).body
    assert left.user in mentees
    later = _run(programme, START + dt.timedelta(weeks=4))
    assert later.matches.filter(members__user=left.user).exists()  # the promise is kept


def test_a_mentor_less_experienced_than_every_mentee_is_told_so():
    problem = {
        "programme": {"group_size": 2, "mentoring": True, "randomness": 0, "seed": 1},
        "members": [
            {"id": "mentor", "mentoring": "offer", "experience": 1},
            {"id": "mentee", "mentoring": "seek", "experience": 2},
        ],
        "history": [],
    }

    [told] = explain_unplaced(
        problem, [{"id": "mentor"}], region_names={}, repeat_when_all_met=True
    )

    assert told.reason.startswith(
        "everyone asking for a mentor this round has more experience than you:"
    )
    assert not told.first_in_line
