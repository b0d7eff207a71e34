"""Bugs the lifecycle machine found, each shown with the smallest setup.

Dates are far from any real date the suite runs on: a service must use the `now` or
`today` it is given, never the wall clock."""

from __future__ import annotations

import datetime as dt

import pytest

from feedback.models import CheckIn
from feedback.services import evaluation_submit, followups_send_due
from pairing import rounds
from pairing.models import Block, Membership, RoundStatus
from pairing.services import membership_join
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.lifecycle.round_checks import small_counts_of_people

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _members(programme, count, **profile):
    users = [UserFactory(**{f"profile__{k}": v for k, v in profile.items()}) for _ in range(count)]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    return users


def _run(pairing_round, now=RAN):
    return rounds.round_run(pairing_round=pairing_round, now=now)


def _pairs(pairing_round):
    return {
        frozenset(m.members.values_list("user_id", flat=True)) for m in pairing_round.matches.all()
    }


def test_feedback_is_open_the_day_after_a_round_ran(programme):
    a, _b = _members(programme, 2)
    done = _run(rounds.round_plan(programme=programme, scheduled_for=RAN.date()))

    evaluation = evaluation_submit(
        match=done.matches.get(), user=a, data={"met": "yes"}, topics=[], now=RAN + DAY
    )

    assert evaluation.pk


def test_did_you_meet_is_asked_followup_days_after_the_round_ran(programme):
    _members(programme, 2)
    _run(rounds.round_plan(programme=programme, scheduled_for=RAN.date()))

    followups_send_due(now=RAN + programme.followup_days * DAY)

    assert CheckIn.objects.count() == 2


def test_a_round_run_after_a_later_numbered_round_does_not_repeat_its_pairs(programme):
    # Planned first (number 1) for a later date; a second round (number 2) is planned for
    # today and runs first. Inside the repeat window the two must not meet again.
    programme.repeat_window = 3
    programme.save()
    _members(programme, 2)
    later = rounds.round_plan(programme=programme, scheduled_for=RAN.date() + 28 * DAY)
    first_to_run = _run(rounds.round_plan(programme=programme, scheduled_for=RAN.date()))

    second_to_run = _run(later, now=RAN + 28 * DAY)

    assert first_to_run.matches.count() == 1
    assert _pairs(second_to_run).isdisjoint(_pairs(first_to_run))


def test_members_left_out_are_first_in_line_in_the_round_that_runs_next(programme):
    _members(programme, 2, organisation="Trust A")  # colleagues: neither can be placed
    later = rounds.round_plan(programme=programme, scheduled_for=RAN.date() + 28 * DAY)
    left_out = _run(rounds.round_plan(programme=programme, scheduled_for=RAN.date()))

    problem = rounds.round_problem(
        pairing_round=later,
        memberships=rounds.round_eligibility(programme=programme, today=RAN.date()).eligible,
    )

    assert left_out.left_out.count() == 2
    assert all(m["left_out_last_round"] for m in problem["members"])


def test_organiser_can_swap_members_after_a_pause_ended_before_the_round(programme):
    users = _members(programme, 4)
    Membership.objects.filter(user=users[0]).update(status="paused", paused_until=RAN.date() - DAY)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=RAN.date())
    preview = rounds.round_preview(pairing_round=pairing_round, today=RAN.date())
    first, second = (g["members"][0].user_id for g in preview.groups)  # the pause is over

    rounds.round_draft_edit(
        pairing_round=pairing_round, action="swap", member=str(first), other=str(second)
    )

    pairing_round.refresh_from_db()
    placed = [set(map(int, g["members"])) for g in pairing_round.draft["groups"]]
    assert any(first in g and second not in g for g in placed)


def test_round_runs_when_someone_outside_the_kept_groups_blocked_someone_inside(programme):
    users = _members(programme, 4)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=RAN.date())
    preview = rounds.round_preview(pairing_round=pairing_round, today=RAN.date())
    kept, dissolved = ([m.user for m in g["members"]] for g in preview.groups)
    # One member of the second group leaves, so that group cannot be kept; the other
    # asked not to meet someone in the first group, which is kept as drafted.
    Membership.objects.filter(user=dissolved[1]).update(status="left")
    Block.objects.create(user=dissolved[0], blocked=kept[0])

    done = _run(pairing_round)

    assert len(users) == 4
    assert done.status == RoundStatus.DONE
    assert done.left_out.get().user == dissolved[0]


def test_a_mentee_left_out_is_not_told_a_count_of_fewer_than_five_people():
    # product.md: anything members see never reveals a count of 1-4.
    programme = ProgrammeFactory(kind="mentoring")
    for role, experience in (("seek", 1), ("seek", 1), ("offer", 3)):
        MembershipFactory(
            user=UserFactory(profile__experience=experience),
            programme=programme,
            mentoring_role=role,
        )

    done = _run(rounds.round_plan(programme=programme, scheduled_for=RAN.date()))

    reason = done.left_out.get().reason
    assert not small_counts_of_people(reason), reason


def test_a_mentee_left_out_cannot_work_out_a_count_below_five_by_subtraction():
    # product.md: never a count of 1-4, "directly or by subtraction from a total".
    programme = ProgrammeFactory(kind="mentoring")
    for role, count, experience in (("seek", 7, 1), ("offer", 5, 3)):
        for _ in range(count):
            user = UserFactory(profile__experience=experience)
            MembershipFactory(user=user, programme=programme, mentoring_role=role)

    done = _run(rounds.round_plan(programme=programme, scheduled_for=RAN.date()))

    reasons = {left.reason for left in done.left_out.all()}
    assert len(done.left_out.all()) == 2  # seven asked, five offered
    assert not any(small_counts_of_people(reason) for reason in reasons), reasons


def test_a_mentee_who_has_not_met_every_mentor_does_not_meet_one_again():
    # S met X while X was a mentor, then X asked for a mentor instead. Counting partners
    # met (S: X and A, two) against mentors there are (A and B, two) says S has met
    # everyone; S has not met B, so S must not meet A again.
    programme = ProgrammeFactory(kind="mentoring")
    mentee, switcher, mentor_a, mentor_b = (
        UserFactory(profile__experience=experience, profile__organisation=organisation)
        for experience, organisation in ((1, "S"), (3, "X"), (3, "X"), (3, "B"))
    )
    day = RAN.date()

    def join(user, role):
        membership_join(user=user, programme=programme, mentoring_role=role, now=RAN)

    join(mentee, "seek")
    join(switcher, "offer")
    _run(rounds.round_plan(programme=programme, scheduled_for=day))
    join(switcher, "seek")  # colleagues of mentor_a: switcher and mentor_a never meet
    join(mentor_a, "offer")
    second = _run(
        rounds.round_plan(programme=programme, scheduled_for=day + 28 * DAY), now=RAN + 28 * DAY
    )
    join(mentor_b, "offer")

    third = _run(
        rounds.round_plan(programme=programme, scheduled_for=day + 56 * DAY), now=RAN + 56 * DAY
    )

    assert frozenset({mentee.pk, mentor_a.pk}) in _pairs(second)
    assert frozenset({mentee.pk, mentor_a.pk}) not in _pairs(third)
