"""A programme over several rounds: second and later rounds after people leave, pause,
block or were left out; failed rounds; honest reasons; small pools."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest

from pairing import matching, rounds
from pairing.models import (
    Block,
    LeftOut,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Round,
    RoundStatus,
    WhenAllMet,
)
from pairing.outbox import build_message
from pairing.services import membership_leave
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
START = dt.date(2026, 12, 1)


def _join(programme, count, **profile):
    users = [UserFactory(**{f"profile__{k}": v for k, v in profile.items()}) for _ in range(count)]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    return users


def _at(day):
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _preview_and_run(programme, day):
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    rounds.round_preview(pairing_round=pairing_round, today=day, reshuffle=True)
    rounds.round_preview(pairing_round=pairing_round, today=day)
    return rounds.round_run(pairing_round=pairing_round, now=_at(day))


def _pairs(pairing_round):
    return {frozenset(s.user_id for s in m.members.all()) for m in pairing_round.matches.all()}


def test_second_round_previews_twice_and_runs_after_members_left_and_were_left_out():
    programme = ProgrammeFactory()
    users = _join(programme, 5, organisation="Same Trust")  # nobody can meet anyone
    first = _preview_and_run(programme, START)
    assert first.left_out.count() == 5
    _join(programme, 4)
    membership_leave(membership=Membership.objects.get(user=users[0], programme=programme))
    Block.objects.create(user=users[1], blocked=users[2])

    second = _preview_and_run(programme, START + 28 * DAY)

    assert second.status == RoundStatus.DONE
    assert second.matches.count() >= 2
    assert users[0].pk not in {uid for pair in _pairs(second) for uid in pair}


def test_third_round_runs_after_a_draft_that_no_longer_fits():
    programme = ProgrammeFactory()
    users = _join(programme, 6)
    _preview_and_run(programme, START)
    third = rounds.round_plan(programme=programme, scheduled_for=START + 28 * DAY)
    rounds.round_preview(pairing_round=third, today=START + 28 * DAY)
    # After the preview a drafted member leaves and another pauses.
    draft_member = int(third.draft["groups"][0]["members"][0])
    membership_leave(membership=Membership.objects.get(user_id=draft_member, programme=programme))
    Membership.objects.filter(user=users[5], programme=programme).exclude(
        user_id=draft_member
    ).update(status=MembershipStatus.PAUSED, paused_until=START + 90 * DAY)

    done = rounds.round_run(pairing_round=third, now=_at(START + 28 * DAY))

    seated = {uid for pair in _pairs(done) for uid in pair}
    assert done.status == RoundStatus.DONE
    assert draft_member not in seated
    assert users[5].pk not in seated or users[5].pk == draft_member


def test_a_failed_round_says_why_in_words_and_can_be_previewed_and_run_again(monkeypatch):
    programme = ProgrammeFactory()
    _join(programme, 4)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    real_solve = matching.solve

    def broken(problem):
        raise MemoryError("out of memory")

    monkeypatch.setattr(matching, "solve", broken)
    with pytest.raises(MemoryError):
        rounds.round_run(pairing_round=pairing_round, now=_at(START))
    pairing_round.refresh_from_db()
    assert pairing_round.status == RoundStatus.FAILED
    assert pairing_round.error.startswith("the matching stopped with an unexpected error")
    assert "no match was saved and no email was sent" in pairing_round.error

    monkeypatch.setattr(matching, "solve", real_solve)
    preview = rounds.round_preview(pairing_round=pairing_round, today=START)
    done = rounds.round_run(pairing_round=pairing_round, now=_at(START))

    assert len(preview.groups) == 2
    assert done.status == RoundStatus.DONE
    assert done.matches.count() == 2


def test_one_programme_failing_does_not_stop_the_others_due_rounds(monkeypatch):
    broken_programme = ProgrammeFactory(next_round_on=START)
    healthy = ProgrammeFactory(next_round_on=START)
    _join(broken_programme, 2)
    _join(healthy, 2)
    real_solve = matching.solve
    broken_ids = {str(m.user_id) for m in Membership.objects.filter(programme=broken_programme)}

    def solve(problem):
        if {m["id"] for m in problem["members"]} & broken_ids:
            raise RuntimeError("engine crashed")
        return real_solve(problem)

    monkeypatch.setattr(matching, "solve", solve)
    rounds.rounds_run_due(now=_at(START))

    assert Round.objects.get(programme=broken_programme).status == RoundStatus.FAILED
    assert Round.objects.get(programme=healthy).status == RoundStatus.DONE


def test_mentoring_seekers_without_mentors_are_told_the_counts_and_who_goes_first():
    # Seven wait for five mentors: nobody can be promised a place next round.
    programme = ProgrammeFactory(kind="mentoring")
    for role, count in (("seek", 12), ("offer", 5)):
        for user in _join(programme, count, experience=1 if role == "seek" else 3):
            Membership.objects.filter(user=user).update(mentoring_role=role)

    done = _preview_and_run(programme, START)

    waiting = list(LeftOut.objects.filter(pairing_round=done))
    assert len(waiting) == 7
    assert {w.reason for w in waiting} == {
        "12 members asked for a mentor and 5 offered: each round, those who have waited "
        "longest are offered a mentor first"
    }
    assert not any(w.first_in_line for w in waiting)


@pytest.mark.parametrize(
    ("seeks", "offers", "ending"),
    [
        # Four wait for three mentors: no promise; two for five: both can be taken.
        (7, 3, "each round, those who have waited longest are offered a mentor first"),
        (7, 5, "you have priority next round"),
    ],
)
def test_mentoring_counts_below_five_are_said_in_words(seeks, offers, ending):
    # 7 and 5 would tell by subtraction that 2 are waiting.
    programme = ProgrammeFactory(kind="mentoring")
    for role, count in (("seek", seeks), ("offer", offers)):
        for user in _join(programme, count, experience=1 if role == "seek" else 3):
            Membership.objects.filter(user=user).update(mentoring_role=role)

    done = _preview_and_run(programme, START)

    assert {w.reason for w in LeftOut.objects.filter(pairing_round=done)} == {
        f"more members asked for a mentor than offered to be one this round: {ending}"
    }


def test_in_person_member_alone_in_their_region_is_told_to_choose_online():
    programme = ProgrammeFactory()
    _join(programme, 4)
    loner = _join(programme, 1, meeting_format="in_person", region="north-east")[0]

    done = _preview_and_run(programme, START)

    left = LeftOut.objects.get(pairing_round=done, user=loner)
    assert left.reason == (
        "nobody else meets in person in North East England this round: choose online or "
        "either to be matched"
    )
    assert not left.first_in_line


def _round_robin(programme, rounds_count):
    ran = []
    for n in range(rounds_count):
        ran.append(_preview_and_run(programme, START + 28 * n * DAY))
    return ran


def test_a_cohort_of_four_meets_everyone_before_anyone_meets_twice():
    programme = ProgrammeFactory(repeat_window=1, randomness=0)
    _join(programme, 4)

    ran = _round_robin(programme, 3)

    met = [pair for r in ran for pair in _pairs(r)]
    assert len(met) == 6
    assert len(set(met)) == 6


def test_after_meeting_everyone_members_meet_again_the_partner_met_longest_ago():
    programme = ProgrammeFactory(repeat_window=None, randomness=0)
    _join(programme, 4)
    ran = _round_robin(programme, 3)

    fourth = _preview_and_run(programme, START + 84 * DAY)

    assert fourth.matches.count() == 2
    assert _pairs(fourth) == _pairs(ran[0])


def test_with_sit_out_members_who_met_everyone_are_told_so_without_a_promise():
    programme = ProgrammeFactory(repeat_window=None, when_all_met=WhenAllMet.SIT_OUT)
    _join(programme, 4)
    _round_robin(programme, 3)

    fourth = _preview_and_run(programme, START + 84 * DAY)

    left = list(LeftOut.objects.filter(pairing_round=fourth))
    assert fourth.matches.count() == 0
    assert len(left) == 4
    assert all(not item.first_in_line for item in left)
    assert all(
        item.reason.startswith("you have met everyone in this programme who is taking part")
        for item in left
    )


def test_preview_warns_before_the_pool_runs_out_and_counts_unmet_partners():
    programme = ProgrammeFactory(repeat_window=None)
    _join(programme, 4)
    _round_robin(programme, 2)
    third = rounds.round_plan(programme=programme, scheduled_for=START + 56 * DAY)

    preview = rounds.round_preview(pairing_round=third, today=START + 56 * DAY)

    assert "after this round, 4 members will have met everyone eligible" in " ".join(
        preview.warnings
    )
    assert {m.unmet for g in preview.groups for m in g["members"]} == {1}


def test_odd_one_out_is_promised_first_in_line():
    programme = ProgrammeFactory(group_size=4)
    users = _join(programme, 5)
    # Two members of the same organisation cannot share a group of four or five.
    for user in users[:2]:
        user.profile.organisation = "Twin Library"
        user.profile.save()

    done = _preview_and_run(programme, START)

    left = LeftOut.objects.filter(pairing_round=done)
    assert left.count() == 1
    assert left.get().first_in_line, left.get().reason
    assert left.get().reason.endswith("you have priority next round")


def test_organiser_messages_name_people_not_ids():
    programme = ProgrammeFactory()
    sam = _join(programme, 1, organisation="Trust A", display_name="Sam Green")[0]
    ola = _join(programme, 1, organisation="trust a ", display_name="Ola Bello")[0]
    _join(programme, 2)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    preview = rounds.round_preview(pairing_round=pairing_round, today=START)
    sam_group = next(g for g in preview.groups if sam in [m.user for m in g["members"]])
    other = next(m for m in sam_group["members"] if m.user != sam)

    with pytest.raises(rounds.RoundError) as refused:
        rounds.round_draft_edit(
            pairing_round=pairing_round, action="swap", member=str(other.user_id), other=str(ola.pk)
        )

    assert str(refused.value) in {
        "That change is not allowed: Sam Green and Ola Bello work for the same organisation.",
        "That change is not allowed: Ola Bello and Sam Green work for the same organisation.",
    }
    assert str(sam.pk) not in str(refused.value).split(":")[1]


def test_every_pair_is_new_over_five_rounds_of_six_when_the_rules_allow():
    programme = ProgrammeFactory(repeat_window=2, randomness=0)
    _join(programme, 6)

    ran = _round_robin(programme, 5)

    met = [pair for r in ran for pair in _pairs(r)]
    everyone = {u for pair in met for u in pair}
    assert len(everyone) == 6
    # Round robin where a perfect one exists: 15 pairs, each once; otherwise no member
    # is ever left out because of it.
    assert sum(r.left_out.count() for r in ran) == 0
    assert len(set(met)) >= 13
    assert set(map(frozenset, combinations(everyone, 2))) >= set(met)


def test_the_intro_of_a_repeat_meeting_says_when_they_last_met():
    programme = ProgrammeFactory(repeat_window=None, randomness=0)
    _join(programme, 2)
    _preview_and_run(programme, dt.date(2026, 3, 10))

    again = _preview_and_run(programme, dt.date(2026, 4, 7))

    row = OutboxEmail.objects.get(match__pairing_round=again, kind=OutboxKind.INTRO)
    body = build_message(row).body
    assert "You were last introduced in March 2026." in body
    assert "A chance to catch up on what has changed since." in body


def test_a_first_meeting_says_nothing_about_meeting_again():
    programme = ProgrammeFactory()
    _join(programme, 2)

    first = _preview_and_run(programme, START)

    row = OutboxEmail.objects.get(match__pairing_round=first, kind=OutboxKind.INTRO)
    assert "last introduced" not in build_message(row).body


def _in_person_pair_and_others(programme):
    """Lowri meets in person only in Scotland; Aisha (either) is the only one there."""
    lowri = _join(programme, 1, meeting_format="in_person", region="scotland",
                  display_name="Lowri Evans")[0]  # fmt: skip
    aisha = _join(programme, 1, meeting_format="either", region="scotland",
                  display_name="Aisha Okafor")[0]  # fmt: skip
    others = _join(programme, 24, region="north-west")
    return lowri, aisha, others


def test_a_member_hard_to_place_does_not_keep_their_only_partner_every_round():
    programme = ProgrammeFactory(repeat_window=None)
    lowri, aisha, _others = _in_person_pair_and_others(programme)
    first = _preview_and_run(programme, START)
    assert frozenset((lowri.pk, aisha.pk)) in _pairs(first)

    second = _preview_and_run(programme, START + 28 * DAY)

    assert frozenset((lowri.pk, aisha.pk)) not in _pairs(second)
    left = LeftOut.objects.get(pairing_round=second, user=lowri)
    assert left.reason == (
        "everyone else who can meet in person in Scotland this round is someone you have "
        "already met: choose online or either to meet someone new"
    )
    assert not left.first_in_line


def test_edits_are_checked_on_the_groups_they_change_only():
    programme = ProgrammeFactory(repeat_window=None)
    users = _join(programme, 4)
    _round_robin(programme, 3)  # everyone has met everyone: the next round repeats pairs
    fourth = rounds.round_plan(programme=programme, scheduled_for=START + 84 * DAY)
    rounds.round_preview(pairing_round=fourth, today=START + 84 * DAY)

    rounds.round_draft_edit(pairing_round=fourth, action="lock", group=1)
    member = fourth.draft["groups"][0]["members"][0]
    other = fourth.draft["groups"][1]["members"][0]
    with pytest.raises(rounds.RoundError, match="Group 2 is locked"):
        rounds.round_draft_edit(pairing_round=fourth, action="swap", member=member, other=other)
    rounds.round_draft_edit(pairing_round=fourth, action="unlock", group=1)
    rounds.round_draft_edit(pairing_round=fourth, action="swap", member=member, other=other)

    fourth.refresh_from_db()
    assert not fourth.draft["groups"][1]["locked"]
    assert other in fourth.draft["groups"][0]["members"]
    assert len(users) == 4


def test_a_member_an_edit_leaves_alone_is_named_and_told_the_organisers_moved_them():
    programme = ProgrammeFactory(group_size=2)
    _join(programme, 6)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    rounds.round_preview(pairing_round=pairing_round, today=START)
    first = pairing_round.draft["groups"][0]["members"]

    alone = rounds.round_draft_edit(
        pairing_round=pairing_round, action="move", member=first[0], group=1
    )
    preview = rounds.round_preview(pairing_round=pairing_round, today=START)

    assert alone == [first[1]]
    told = next(u for u in preview.unplaced if str(u["membership"].user_id) == first[1])
    assert told["reason"].startswith("the organisers could not fit you into a group")


def test_not_yet_met_counts_come_from_the_real_history():
    programme = ProgrammeFactory(repeat_window=None, randomness=0)
    _join(programme, 4)
    _round_robin(programme, 3)
    fourth = rounds.round_plan(programme=programme, scheduled_for=START + 84 * DAY)

    preview = rounds.round_preview(pairing_round=fourth, today=START + 84 * DAY)

    assert {m.unmet for g in preview.groups for m in g["members"]} == {0}
    assert all(g["met_before"] for g in preview.groups)
    assert any("have met before" in w for w in preview.warnings)


def test_reshuffle_draws_a_new_seed_and_can_change_the_groups():
    programme = ProgrammeFactory(randomness=20)
    _join(programme, 10)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    first = rounds.round_preview(pairing_round=pairing_round, today=START, seed=1)
    seen = {frozenset(frozenset(m.user_id for m in g["members"]) for g in first.groups)}

    for seed in range(2, 8):
        again = rounds.round_preview(
            pairing_round=pairing_round, today=START, reshuffle=True, seed=seed
        )
        seen.add(frozenset(frozenset(m.user_id for m in g["members"]) for g in again.groups))

    pairing_round.refresh_from_db()
    assert pairing_round.seed == 7
    assert len(seen) > 1


def test_left_out_email_subject_promises_only_when_the_body_does():
    programme = ProgrammeFactory()
    _join(programme, 2)
    loner = _join(programme, 1, meeting_format="in_person", region="north-east")[0]
    done = _preview_and_run(programme, START)

    row = OutboxEmail.objects.get(pairing_round=done, kind=OutboxKind.LEFT_OUT, user=loner)
    message = build_message(row)

    assert "first next time" not in message.subject
    assert "first in line" not in message.body
    assert "edit your profile: http://127.0.0.1:8000/me/profile/" in message.body


def test_an_edit_refused_for_someone_no_longer_eligible_names_them():
    programme = ProgrammeFactory()
    users = _join(programme, 4)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    rounds.round_preview(pairing_round=pairing_round, today=START)
    first, second = (g["members"] for g in pairing_round.draft["groups"])
    gone = int(first[0])
    membership_leave(membership=Membership.objects.get(user_id=gone, programme=programme))

    with pytest.raises(rounds.RoundError) as refused:
        rounds.round_draft_edit(
            pairing_round=pairing_round, action="swap", member=first[1], other=second[0]
        )

    name = next(u for u in users if u.pk == gone).profile.display_name
    assert f"{name} cannot be matched this round" in str(refused.value)


def test_a_repeat_meeting_is_dated_by_the_day_the_earlier_round_ran():
    """Round 1 planned for 1 April but run on 10 March: they were last introduced in March."""
    programme = ProgrammeFactory(repeat_window=None, randomness=0)
    _join(programme, 2)
    first = rounds.round_plan(programme=programme, scheduled_for=dt.date(2026, 4, 1))
    day = dt.date(2026, 3, 10)
    rounds.round_preview(pairing_round=first, today=day, reshuffle=True)
    rounds.round_run(pairing_round=first, now=_at(day))

    again = _preview_and_run(programme, dt.date(2026, 4, 28))

    row = OutboxEmail.objects.get(match__pairing_round=again, kind=OutboxKind.INTRO)
    assert "You were last introduced in March 2026." in build_message(row).body
