"""What must hold of every round that ran, judged by the world as it stood when it ran."""

from __future__ import annotations

import re
from collections import Counter

from pairing.matching.evaluate import evaluate_groups
from pairing.models import (
    LeftOut,
    MatchMember,
    OutboxEmail,
    OutboxKind,
    Programme,
    Round,
    RoundStatus,
)
from tests.lifecycle.known_bugs import known_bug
from tests.lifecycle.rules import pair_problem, ran_out_of_number_order, repeat_problems
from tests.lifecycle.world import Run, World

# "3 members", "and 1 offered": a number of people, as a member would read it.
PEOPLE_COUNT = re.compile(r"\b(\d+)\s+(?:members?|people|person|offered|asked)\b")


def small_counts_of_people(text: str) -> list[int]:
    """Counts of 1-4 people in `text`: never shown to members (product.md)."""
    return [int(n) for n in PEOPLE_COUNT.findall(text) if 1 <= int(n) <= 4]


def read_run(world: World, pairing_round: Round, frozen: tuple) -> Run:
    """Record a round that has just run, with the world as it stood before it ran."""
    people, seats, blocks, settings = frozen
    groups: dict[int, set[int]] = {}
    for match_id, user_id in MatchMember.objects.filter(pairing_round=pairing_round).values_list(
        "match_id", "user_id"
    ):
        groups.setdefault(match_id, set()).add(user_id)
    left_out = dict(
        LeftOut.objects.filter(pairing_round=pairing_round).values_list("user_id", "reason")
    )
    run_day_world = World(
        now=pairing_round.started_at, settings=settings, people=people, seats=seats
    )
    return Run(
        round_id=pairing_round.pk,
        number=pairing_round.number,
        ran_at=pairing_round.started_at,
        finished_at=pairing_round.finished_at,
        people=people,
        seats=seats,
        blocks=blocks,
        settings=settings,
        eligible=run_day_world.eligible_on(run_day_world.today),
        groups={m: frozenset(g) for m, g in groups.items()},
        left_out=left_out,
    )


def check_new_run(world: World, run: Run) -> None:
    """Checks that only make sense the moment a round has run (emails queued, everyone
    eligible placed or told why)."""
    seated = Counter(u for g in run.groups.values() for u in g)
    twice = [u for u, n in seated.items() if n > 1]
    assert not twice, f"round {run.number}: {twice} sit in two matches"
    matched = set(seated)
    assert matched.isdisjoint(run.left_out), f"round {run.number}: matched and left out"
    not_eligible = matched - run.eligible
    assert not not_eligible, f"round {run.number} matched ineligible members {not_eligible}"
    forgotten = run.eligible - matched - set(run.left_out)
    assert not forgotten, f"round {run.number}: eligible {forgotten} neither matched nor told"
    queued = set(
        OutboxEmail.objects.filter(pairing_round_id=run.round_id).values_list("kind", "key")
    )
    for match_id in run.groups:
        assert (OutboxKind.INTRO, f"intro:{match_id}") in queued, f"no intro for {match_id}"
    for user_id in run.left_out:
        key = f"left_out:{run.round_id}:{user_id}"
        assert (OutboxKind.LEFT_OUT, key) in queued, f"left-out {user_id} is not told"


def check_runs(world: World, programme: Programme) -> None:
    """Every round that ran, each step: the database still says what it said, and what it
    says keeps every rule of the day it ran."""
    done = Round.objects.filter(programme=programme, status=RoundStatus.DONE)
    assert set(done.values_list("pk", flat=True)) == {r.round_id for r in world.runs}, (
        "a round ran that nobody ran, or a recorded round is no longer done"
    )
    assert not programme.rounds.filter(status=RoundStatus.RUNNING).exists(), "a round is stuck"
    # A failed round is allowed (it can be previewed and run again); it says why.
    for error in programme.rounds.filter(status=RoundStatus.FAILED).values_list("error", flat=True):
        assert error.strip(), "a round failed without saying why"
    snapshots = dict(done.values_list("pk", "snapshot"))
    for index, run in enumerate(world.runs):
        _check_still_recorded(world, run)
        _check_hard_rules(run)
        _check_snapshot(run, snapshots[run.round_id])
        so_far = world.runs[: index + 1]
        if not (known_bug("history_by_round_number") and ran_out_of_number_order(so_far)):
            _check_first_in_line(run, world.runs[index - 1] if index else None, snapshots)
    problems = repeat_problems(world.runs)
    assert not problems, problems[0]


def _check_still_recorded(world: World, run: Run) -> None:
    alive = {p.user_id for p in world.alive()}
    groups = {}
    for match_id, user_id in MatchMember.objects.filter(pairing_round_id=run.round_id).values_list(
        "match_id", "user_id"
    ):
        groups.setdefault(match_id, set())
        if user_id is not None:
            groups[match_id].add(user_id)
    expected = {m: set(g) & alive for m, g in run.groups.items()}
    assert groups == expected, f"round {run.number}'s matches changed after it ran"
    left_out = dict(
        LeftOut.objects.filter(pairing_round_id=run.round_id).values_list("user_id", "reason")
    )
    assert left_out == {u: r for u, r in run.left_out.items() if u in alive}
    for reason in left_out.values():
        _check_reason(run, reason)


def _check_reason(run: Run, reason: str) -> None:
    """What a member left out is told: a reason, never that someone blocked them, never
    a count of 1-4 people."""
    assert reason.strip(), f"round {run.number}: left out with no reason"
    assert "block" not in reason.lower(), f"round {run.number} tells of a block: {reason!r}"
    if known_bug("mentoring_counts_told") and "mentor" in reason:
        return  # the mentoring reasons state the counts of mentors and mentees: noted
    small = small_counts_of_people(reason)
    assert not small, f"round {run.number} tells a member a count of {small}: {reason!r}"


def _check_hard_rules(run: Run) -> None:
    for group in run.groups.values():
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                problem = pair_problem(run, a, b)
                assert not problem, f"round {run.number} matched {a} with {b}: {problem}"


def _check_snapshot(run: Run, snapshot: dict) -> None:
    ids = {m["id"] for m in snapshot["members"]}
    assert ids == {str(u) for u in run.eligible}, f"round {run.number}'s snapshot members"
    groups = [sorted(str(u) for u in g) for g in run.groups.values()]
    for group, evaluated in zip(groups, evaluate_groups(snapshot, groups), strict=True):
        assert not evaluated["violations"], f"round {run.number} {group}: {evaluated}"


def _check_first_in_line(run: Run, previous: Run | None, snapshots: dict) -> None:
    """Members left out of the round before are first in line in this one."""
    left_out_before = set(previous.left_out) if previous else set()
    for member in snapshots[run.round_id]["members"]:
        expected = int(member["id"]) in left_out_before
        assert member["left_out_last_round"] == expected, (
            f"round {run.number}: member {member['id']} first-in-line flag is "
            f"{member['left_out_last_round']}, left out of the round before: {expected}"
        )
