"""Solve a round: apply the small-pool rules, keep the groups an organiser fixed, let
the engine place the rest, and say in words why anyone is left out."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from members.models import Region
from pairing import matching
from pairing.matching.evaluate import evaluate_groups
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import pair_allowed, pair_score
from pairing.matching.solution import group_scores
from pairing.rounds.pool import effective_problem, relaxed_problem
from pairing.rounds.reasons import explain_unplaced

CHUNK = 200


def round_solve(
    problem: dict,
    fixed: list[list[str]],
    *,
    repeat_when_all_met: bool = True,
    kept_out: frozenset[str] = frozenset(),
    fillable: frozenset[frozenset[str]] = frozenset(),
) -> dict:
    """The solution for `problem` keeping `fixed` groups (those still fully eligible and
    within the rules). Its `problem` is what the engine was given (the round's snapshot);
    each unplaced entry has the member's `reason`, the organisers' `cause` and
    `first_in_line`. The small-pool rules come first; if they leave members out, a
    relaxed problem is tried and kept when it places more people. Members in `kept_out`
    (those an organiser's draft left out) are not grouped; they are listed unplaced.
    Someone else the engine cannot place beside the fixed groups may join one of them in
    `fillable` (the draft's unlocked groups) that has room."""
    strict = effective_problem(problem, repeat_when_all_met=repeat_when_all_met)
    chosen, solved = strict, _solve(strict, fixed, kept_out, fillable)
    relaxed = relaxed_problem(problem) if solved["unplaced"] else None
    if relaxed is not None:
        second = _solve(relaxed, fixed, kept_out, fillable)
        if len(second["unplaced"]) < len(solved["unplaced"]):
            chosen, solved = relaxed, second
    # Who has met whom is read from the real history (the engine's may have forgotten a
    # pair it allowed again), with the repeat window the engine used.
    met_view = {
        **problem,
        "programme": {
            **problem["programme"],
            "repeat_window": chosen["programme"]["repeat_window"],
        },
    }
    # Scores shown and saved leave out the seed's jitter (it only breaks near-ties): the
    # same group scores the same in every preview, reshuffle and run.
    scores = plain_scores(chosen, [g["members"] for g in solved["groups"]])
    for group, score in zip(solved["groups"], scores, strict=True):
        group["score"] = score
    solved["objective"] = sum(scores)
    explained = explain_unplaced(
        met_view,
        solved["unplaced"],
        region_names=dict(Region.choices),
        repeat_when_all_met=repeat_when_all_met,
        groups=[g["members"] for g in solved["groups"]],
    )
    return {
        **solved,
        "problem": chosen,
        "met_view": met_view,
        "unplaced": [asdict(u) for u in explained],
    }


def _solve(
    problem: dict,
    fixed: list[list[str]],
    kept_out: frozenset[str],
    fillable: frozenset[frozenset[str]] = frozenset(),
) -> dict:
    present = {m["id"] for m in problem["members"]}
    out = sorted(kept_out & present)
    fixed = [g for g in fixed if len(g) >= 2 and set(g) <= present]
    # A kept group that now breaks a rule (a new block, a changed profile) is dissolved
    # and its members matched afresh: a hard rule is never broken.
    fixed = [
        g
        for g, e in zip(fixed, evaluate_groups(problem, fixed), strict=True)
        if not e["violations"]
    ]
    taken = {member for group in fixed for member in group} | set(out)
    # A block naming someone in a kept group is moot for the rest (they are placed
    # already), and the engine takes only blocks between members it is given.
    rest = {
        **problem,
        "members": [
            {**m, "blocked": [b for b in m.get("blocked") or [] if b not in taken]}
            for m in problem["members"]
            if m["id"] not in taken
        ],
    }
    solved = matching.solve(rest) if rest["members"] else {"groups": [], "unplaced": [], "bound": 0}
    solved["unplaced"] = solved["unplaced"] + [{"id": m, "reason": ""} for m in out]
    evaluated = evaluate_groups(problem, fixed)
    groups = [
        {"members": g, "score": e["score"], "host": e["host"]}
        for g, e in zip(fixed, evaluated, strict=True)
    ] + solved["groups"]
    if fixed:
        kept = [i for i, g in enumerate(fixed) if frozenset(g) in fillable]
        solved["unplaced"] = _fill(problem, groups, kept, solved["unplaced"], set(out))
    bound = solved.get("bound")
    return {
        "groups": groups,
        "unplaced": _with_fixed_in_view(problem, solved["unplaced"])
        if fixed
        else solved["unplaced"],
        "objective": sum(g["score"] for g in groups),
        "bound": None if fixed or out or bound is None else bound,
    }


def _fill(
    problem: dict, groups: list[dict], kept: list[int], unplaced: list[dict], out: set[str]
) -> list[dict]:
    """Those of `unplaced` (not `out`) who can join a kept group with room do, as the
    engine would have made them a three or one more in a group: a member whose partner in
    the draft stopped taking part is placed again. Pairs take one third member in all;
    groups of k at most k + 1. `groups` is changed in place; returns who is still out."""
    size = problem["programme"].get("group_size", 2)
    waiting = [u for u in unplaced if u["id"] not in out]
    if not kept or not waiting:
        return unplaced
    p = parse_problem(problem)
    index = {member_id: i for i, member_id in enumerate(p.ids)}
    placed: set[str] = set()
    for item in waiting:
        if size == 2 and any(len(g["members"]) > 2 for g in groups):
            break  # the one group of three a pairs round may have
        room = [i for i in kept if len(groups[i]["members"]) < size + 1]
        if not room or item["id"] not in index:
            continue
        others = np.array([index[m] for i in room for m in groups[i]["members"]])
        starts = np.cumsum([0] + [len(groups[i]["members"]) for i in room[:-1]])
        me = np.full(len(others), index[item["id"]])
        allowed = np.logical_and.reduceat(pair_allowed(p, me, others), starts)
        gain = np.add.reduceat(pair_score(p, me, others), starts)
        if not allowed.any():
            continue
        best = room[int(np.argmax(np.where(allowed, gain, np.iinfo(np.int64).min)))]
        groups[best] = {**groups[best], "members": [*groups[best]["members"], item["id"]]}
        kept.remove(best)  # one more member each
        placed.add(item["id"])
    return [u for u in unplaced if u["id"] not in placed]


def _with_fixed_in_view(problem: dict, unplaced: list[dict]) -> list[dict]:
    """The engine saw only the members outside the fixed groups, so "no compatible
    partner" may be untrue: someone in a fixed group could have been a partner."""
    ids = [m["id"] for m in problem["members"]]
    open_ids = {u["id"] for u in unplaced}
    has_partner: set[str] = set()
    # In chunks of candidates, all unplaced members at once (one parse of the problem per
    # chunk): most members find an allowed partner among the first few.
    for start in range(0, len(ids), CHUNK):
        if not open_ids:
            break
        pairs = [[me, other] for me in sorted(open_ids) for other in ids[start : start + CHUNK]]
        pairs = [pair for pair in pairs if pair[0] != pair[1]]
        for pair, evaluated in zip(pairs, evaluate_groups(problem, pairs), strict=True):
            if not evaluated["violations"]:
                has_partner.add(pair[0])
        open_ids -= has_partner
    return [
        {**u, "reason": "odd one out: every compatible partner is placed"}
        if u["id"] in has_partner
        else u
        for u in unplaced
    ]


def plain_scores(problem: dict, groups: list[list[str]]) -> list[int]:
    """Each group's score by the engine's objective without the random jitter."""
    if not groups:
        return []
    p = parse_problem({**problem, "programme": {**problem["programme"], "randomness": 0}})
    index = {member_id: i for i, member_id in enumerate(p.ids)}
    return group_scores(p, [[index[m] for m in members if m in index] for members in groups])
