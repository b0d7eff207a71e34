"""What must hold of every round that ran, judged by the world as it stood when it ran."""

from __future__ import annotations

import re
from collections import Counter

from pairing.kinds import kind_of
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
from pairing.sets.models import Cycle
from tests.lifecycle.rules import pair_problem, repeat_problems
from tests.lifecycle.world import Before, Run, World

# "3 members", "and 1 offered": a number of people, as a member would read it.
PEOPLE_COUNT = re.compile(r"\b(\d+)\s+(?:members?|people|person|offered|asked)\b")


def small_counts_of_people(text: str) -> list[int]:
    """Counts of 1-4 people that `text` shows, or gives away as the difference of two
    counts it shows ("7 asked and 5 offered": 2 left waiting). product.md: never shown
    to members, directly or by subtraction."""
    counts = [int(n) for n in PEOPLE_COUNT.findall(text)]
    differences = [abs(a - b) for i, a in enumerate(counts) for b in counts[i + 1 :]]
    return [n for n in counts + differences if 1 <= n <= 4]


def read_run(pairing_round: Round, before: Before) -> Run:
    """Record a round that has just run, with the world as it stood before it ran."""
    people, seats, blocks, settings = before
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
        people=people,
        seats=seats,
        blocks=blocks,
        settings=settings,
        eligible=run_day_world.eligible_on(run_day_world.today),
        groups={m: frozenset(g) for m, g in groups.items()},
        left_out=left_out,
        snapshot=pairing_round.snapshot.problem,
        fixed_place=Cycle.objects.filter(forming_round=pairing_round)
        .exclude(venue="", online_link="")
        .exists(),
    )


def check_new_run(world: World, run: Run) -> None:
    """A round that has just run: everyone eligible placed or told why (a reason in
    words, an email queued), every match introduced, every rule of the day kept (by the
    machine's account and by the engine's, on the round's snapshot), and those left out
    last time first in line. What it recorded cannot change later (`check_runs`)."""
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
    for user_id, reason in run.left_out.items():
        key = f"left_out:{run.round_id}:{user_id}"
        assert (OutboxKind.LEFT_OUT, key) in queued, f"left-out {user_id} is not told"
        _check_reason(run, reason)
    _check_hard_rules(run)
    _check_snapshot(run, run.snapshot)
    _check_first_in_line(run, world.runs[-1] if world.runs else None)  # `run` not recorded yet


def check_runs(world: World, programme: Programme) -> None:
    """Every round that ran, each step: the database still says what `check_new_run`
    checked when the round ran, and no pair met again when it should not have."""
    done = Round.objects.filter(programme=programme, status=RoundStatus.DONE)
    snapshots = dict(done.values_list("pk", "snapshot__problem"))
    assert set(snapshots) == {r.round_id for r in world.runs}, (
        "a round ran that nobody ran, or a recorded round is no longer done"
    )
    assert not programme.rounds.filter(status=RoundStatus.RUNNING).exists(), "a round is stuck"
    # A failed round is allowed (it can be previewed and run again); it says why.
    for error in programme.rounds.filter(status=RoundStatus.FAILED).values_list("error", flat=True):
        assert error.strip(), "a round failed without saying why"
    alive = {p.user_id for p in world.alive()}
    groups, left_out = _groups_and_left_out(list(snapshots))
    for run in world.runs:
        assert snapshots[run.round_id] == run.snapshot, f"round {run.number}'s snapshot changed"
        expected = {m: set(g) & alive for m, g in run.groups.items()}
        assert groups.get(run.round_id, {}) == expected, f"round {run.number}'s matches changed"
        kept = {u: reason for u, reason in run.left_out.items() if u in alive}
        assert left_out.get(run.round_id, {}) == kept, f"round {run.number}'s left-out changed"
    problems = repeat_problems(world.runs, kind_of(programme).engine_options())
    assert not problems, problems[0]


def _groups_and_left_out(round_ids: list[int]) -> tuple[dict, dict]:
    """Per round: match id -> members still there; user id -> reason told."""
    groups: dict[int, dict[int, set[int]]] = {}
    for round_id, match_id, user_id in MatchMember.objects.filter(
        pairing_round_id__in=round_ids
    ).values_list("pairing_round_id", "match_id", "user_id"):
        members = groups.setdefault(round_id, {}).setdefault(match_id, set())
        if user_id is not None:  # a deleted account leaves an empty seat
            members.add(user_id)
    left_out: dict[int, dict[int, str]] = {}
    for round_id, user_id, reason in LeftOut.objects.filter(
        pairing_round_id__in=round_ids
    ).values_list("pairing_round_id", "user_id", "reason"):
        left_out.setdefault(round_id, {})[user_id] = reason
    return groups, left_out


def _check_reason(run: Run, reason: str) -> None:
    """What a member left out is told: a reason, never that someone blocked them, never
    a count of 1-4 people."""
    assert reason.strip(), f"round {run.number}: left out with no reason"
    assert "block" not in reason.lower(), f"round {run.number} tells of a block: {reason!r}"
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


def _check_first_in_line(run: Run, previous: Run | None) -> None:
    """Members left out of the round before are first in line in this one."""
    left_out_before = set(previous.left_out) if previous else set()
    for member in run.snapshot["members"]:
        expected = int(member["id"]) in left_out_before
        assert member["left_out_last_round"] == expected, (
            f"round {run.number}: member {member['id']} first-in-line flag is "
            f"{member['left_out_last_round']}, left out of the round before: {expected}"
        )
