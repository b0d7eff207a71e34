"""The left-out email's advice fits its reason (walk 15: a mentee no mentor had the
experience for was told to edit their meeting format or region): the profile link only
where the meeting format or region is the cause, and never a word about a block."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from pairing.models import Block, LeftOut, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 12, 1)
PROFILE = "edit your profile"


def _member(programme, role, experience, **profile):
    user = UserFactory(
        profile__experience=experience, **{f"profile__{k}": v for k, v in profile.items()}
    )
    MembershipFactory(user=user, programme=programme, mentoring_role=role)
    return user


def _left_out_email(programme, user):
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    done = rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    )
    row = OutboxEmail.objects.get(pairing_round=done, user=user, kind=OutboxKind.LEFT_OUT)
    message = build_message(row)
    return LeftOut.objects.get(pairing_round=done, user=user), message.body, _html(message)


def _html(message):
    return next(c for c, kind in message.alternatives if kind == "text/html")


@pytest.fixture
def programme():
    return ProgrammeFactory(kind="mentoring", name="New professionals mentoring")


def test_a_mentee_no_mentor_has_the_experience_for_is_not_told_to_edit_their_profile(
    programme,
):
    _member(programme, "offer", 2)
    _member(programme, "seek", 1)
    dev = _member(programme, "seek", 3)

    left, text, html = _left_out_email(programme, dev)

    assert left.reason == (
        "no mentor this round has at least as much experience as you: there is nothing for "
        "you to change, and we will introduce you as soon as a mentor with at least as much "
        "experience as you takes part"
    )
    assert PROFILE not in text and PROFILE not in html
    assert "meeting format" not in text


def test_a_mentee_no_mentor_can_meet_in_person_is_told_to_edit_their_profile(programme):
    _member(programme, "offer", 3, meeting_format="online")
    _member(programme, "seek", 1, meeting_format="online")
    cara = _member(programme, "seek", 1, meeting_format="in_person", region="london")

    _left, text, html = _left_out_email(programme, cara)

    assert "To change your meeting format or region, edit your profile: http" in text
    assert PROFILE in html


def test_a_mentee_kept_apart_by_a_block_is_given_no_advice_that_reveals_it(programme):
    mentor = _member(programme, "offer", 3)
    _member(programme, "seek", 1)
    eve = _member(programme, "seek", 1)
    Block.objects.create(user=mentor, blocked=eve)

    left, text, html = _left_out_email(programme, eve)

    assert left.reason.startswith("no mentor taking part this round could be matched with you")
    assert PROFILE not in text and PROFILE not in html
    assert "block" not in text.lower() and "block" not in html.lower()
