"""A member of a mentoring programme who has met every partner they could have is told
so (walk 15: Dev Patel, "0 not yet met" in the preview, would have been told more members
asked for a mentor than offered), with the promise the programme's repeat rule keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from pairing.choices import WhenAllMet
from pairing.rounds.reasons import explain_unplaced
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

START = dt.date(2026, 12, 1)


def _problem(window=None, mentors=("malik",), mentees=("dev", "priya"), met=("dev", "malik")):
    return {
        "programme": {
            "group_size": 2, "mentoring": True, "randomness": 0, "seed": 1,
            "repeat_window": window,
        },
        "members": [{"id": m, "mentoring": "offer", "experience": 3} for m in mentors]
        + [{"id": m, "mentoring": "seek", "experience": 1} for m in mentees],
        "history": [{"groups": [list(met)]}],
    }  # fmt: skip


def _told(problem, member_id, repeat=True):
    [told] = explain_unplaced(
        problem, [{"id": member_id}], region_names={}, repeat_when_all_met=repeat
    )
    return told


def test_a_mentee_who_has_met_every_mentor_is_told_so_not_that_mentors_are_scarce():
    told = _told(_problem(), "dev")

    assert told.reason == (
        "you have met every mentor taking part this round: we can introduce you again to a "
        "mentor you have met once they have met everyone asking for a mentor who can be "
        "matched with them, or to a new mentor when one joins"
    )
    assert not told.first_in_line
    assert told.cause == "has met every mentor taking part"


def test_within_a_repeat_window_the_mentee_is_told_when_they_can_meet_again():
    told = _told(_problem(window=3), "dev")

    assert told.reason == (
        "you have met every mentor taking part this round within the last 3 rounds: you can "
        "meet them again after that, or sooner when a new mentor joins"
    )
    assert not told.first_in_line


def test_where_partners_never_repeat_the_mentee_waits_for_a_new_mentor():
    told = _told(_problem(), "dev", repeat=False)

    assert told.reason == (
        "you have met every mentor taking part this round: the programme does not repeat "
        "partners, so you will be introduced when a new mentor joins"
    )


def test_a_mentor_who_has_met_every_mentee_is_told_so():
    problem = _problem(mentors=("malik", "ada"), mentees=("dev",))

    told = _told(problem, "malik")

    assert told.reason.startswith("you have met everyone asking for a mentor this round: ")
    assert "more members offered mentoring" not in told.reason
    assert told.cause == "has met every mentee taking part"


def test_a_mentor_someone_cannot_be_matched_with_is_not_counted_as_met():
    problem = _problem(mentors=("malik", "senior"), mentees=("dev", "priya"))
    problem["members"][1]["experience"] = 0  # less experienced than Dev: never his mentor

    told = _told(problem, "dev")

    assert told.reason.startswith(
        "you have met every mentor taking part this round who can be matched with you: "
    )


@pytest.mark.django_db
def test_the_preview_tells_a_mentee_with_nobody_new_to_meet_that_they_have_met_every_mentor():
    programme = ProgrammeFactory(
        kind="mentoring", repeat_window=None, when_all_met=WhenAllMet.REPEAT
    )
    mentor = UserFactory(profile__experience=3, profile__display_name="Malik Ahmed")
    MembershipFactory(user=mentor, programme=programme, mentoring_role="offer")
    mentees = [UserFactory(profile__experience=0) for _ in range(3)]
    for user in mentees:
        MembershipFactory(user=user, programme=programme, mentoring_role="seek")
    first = rounds.round_plan(programme=programme, scheduled_for=START)
    rounds.round_run(pairing_round=first, now=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    [met] = [u for u in mentees if first.matches.filter(members__user=u).exists()]
    day = START + dt.timedelta(weeks=6)

    second = rounds.round_plan(programme=programme, scheduled_for=day)
    preview = rounds.round_preview(pairing_round=second, today=day)

    [dev] = [u for u in preview.unplaced if u["membership"].user_id == met.pk]
    assert dev["membership"].unmet == 0
    assert dev["reason"].startswith("you have met every mentor taking part this round:")
    assert "more members asked for a mentor" not in dev["reason"]
    assert not dev["first_in_line"]
