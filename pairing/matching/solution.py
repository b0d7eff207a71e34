"""Turn chosen groups into the solution format: hosts, scores, readable unplaced reasons."""

from __future__ import annotations

import numpy as np

from .hosts import choose_host
from .problem import IN_PERSON, OFFER, ONLINE, SEEK, Problem
from .scoring import _exception_lookup, pair_score

EXPLAIN_MAX = 2000


def build_solution(
    p: Problem, groups: list[list[int]], bound: int, degree: np.ndarray, seconds: float
) -> dict:
    out_groups = []
    placed = np.zeros(p.n, np.bool_)
    ordered = sorted(sorted(g) for g in groups)
    for members, score in zip(ordered, group_scores(p, ordered), strict=True):
        placed[members] = True
        out_groups.append({
            "members": [p.ids[m] for m in members],
            "host": p.ids[choose_host(p, members)],
            "score": score,
        })  # fmt: skip
    left = np.flatnonzero(~placed)
    explain = len(left) <= EXPLAIN_MAX
    unplaced = [{"id": p.ids[i], "reason": reason(p, int(i), degree, explain)} for i in left]
    objective = sum(g["score"] for g in out_groups)
    return {
        "groups": out_groups,
        "unplaced": unplaced,
        "objective": objective,
        "bound": int(bound),
        "seconds": round(seconds, 3),
    }


def group_scores(p: Problem, groups: list[list[int]]) -> list[int]:
    """All group scores with one vectorised call over every pair inside a group."""
    a, b, owner = [], [], []
    for g, members in enumerate(groups):
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a.append(members[x])
                b.append(members[y])
                owner.append(g)
    if not a:
        return [0] * len(groups)
    scores = pair_score(p, np.asarray(a), np.asarray(b))
    return np.bincount(owner, weights=scores, minlength=len(groups)).astype(np.int64).tolist()


def reason(p: Problem, i: int, degree: np.ndarray, explain: bool = True) -> str:
    if p.n == 1:
        return "no compatible partner: nobody else is taking part this round"
    k = p.group_size
    if degree[i] == 0:
        causes = _causes(p, i) if explain else []
        if not causes:
            return "no compatible partner: every other member is excluded by a hard rule"
        listed = causes[0] if len(causes) == 1 else ", ".join(causes[:-1]) + " or " + causes[-1]
        return f"no compatible partner: everyone else is {listed}"
    if k == 2 and p.mentoring:
        side = "mentor" if p.role[i] == SEEK else "mentee"
        return f"odd one out: every compatible {side} is already paired this round"
    if k == 2:
        return (
            "odd one out: every compatible partner is already paired and no pair could "
            "take a third member"
        )
    return "odd one out: no group could take one more member without breaking a rule"


def _causes(p: Problem, i: int) -> list[str]:
    """Which rules exclude this member's would-be partners (for a zero-partner member)."""
    others = np.delete(np.arange(p.n), i)
    me = np.full(len(others), i)
    found = []
    forbid, _ = _exception_lookup(p, me, others)
    lo, hi = np.minimum(me, others), np.maximum(me, others)
    blocked = np.array([(a, b) in p.blocked_pairs for a, b in zip(lo, hi, strict=True)])
    met = forbid & ~blocked
    if blocked.any():
        found.append("blocked")
    if p.avoid_same_organisation and p.org[i] >= 0 and (p.org[others] == p.org[i]).any():
        found.append("same organisation")
    if met.any():
        found.append("already met")
    fi, fo = p.fmt[i], p.fmt[others]
    in_person = (fi == IN_PERSON) | (fo == IN_PERSON)
    same_region = (p.region[i] >= 0) & (p.region[others] == p.region[i])
    bad_format = in_person & (~same_region | (fi == ONLINE) | (fo == ONLINE))
    if bad_format.any():
        found.append("unable to meet in the same format and region")
    if p.mentoring:
        want = SEEK if p.role[i] == OFFER else OFFER
        if p.role[i] not in (OFFER, SEEK) or (p.role[others] != want).any():
            found.append("not a mentoring match (an offerer with a seeker)")
        elif (p.role[others] == want).any():
            found.append("less experienced than the seeker")
    return found
