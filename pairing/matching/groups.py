"""Groups of k >= 3: sizes, exact set partitioning for small rounds, heuristic for large.

Sizes (matching.md): with P members placed, the remainder of P / k joins groups as k + 1
when there are at least as many groups as leftovers; otherwise groups of k - 1 are used.
Some P cannot be split that way (P = 7 with k = 5); the largest P that can, and that the
rules allow, is placed.

Exact: every allowed clique of the needed sizes becomes a column of a set partitioning
MILP (HiGHS via scipy.optimize.milp), trying P from the largest down, so placement comes
first and the score is optimal for it. Large or column-heavy rounds use ``group_search``.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from .group_search import heuristic_groups
from .problem import Problem
from .scoring import dense, group_score

EXACT_MAX = 40
COLUMN_CAP = 1_500_000
MILP_SECONDS = 60.0


def composition(placed: int, k: int) -> dict[int, int] | None:
    """Group counts by size for ``placed`` members, or None if the rule cannot split it."""
    if placed == 0:
        return {}
    groups, rem = divmod(placed, k)
    if rem <= groups:
        return {s: c for s, c in ((k, groups - rem), (k + 1, rem)) if c}
    total = -(-placed // k)
    smaller = total * k - placed
    if smaller > total or k - 1 < 2:
        return None
    return {s: c for s, c in ((k, total - smaller), (k - 1, smaller)) if c}


def feasible_counts(limit: int, k: int) -> list[int]:
    """Placed counts the size rule allows, largest first, up to ``limit``."""
    return [n for n in range(limit, 1, -1) if composition(n, k) is not None]


def solve_groups(p: Problem) -> tuple[list[list[int]], int, np.ndarray]:
    if p.n == 0:
        return [], 0, np.zeros(0, np.int64)
    allowed, score = dense(p) if p.n <= EXACT_MAX else (None, None)
    if allowed is not None:
        degree = allowed.sum(axis=1)
        exact = _exact(p, allowed, score, degree)
        if exact is not None and exact[3]:
            return exact[0], exact[1], degree
        if exact is not None:
            # HiGHS hit its time limit, so its answer may place fewer than it could. The
            # heuristic is quick here: keep whichever places more, then scores more. Its
            # bound (best partners of each member) holds for every grouping.
            found, bound, _ = heuristic_groups(p)
            value = sum(group_score(p, g) for g in found)
            if (sum(map(len, found)), value) > (sum(map(len, exact[0])), exact[2]):
                return found, max(bound, value), degree
            return exact[0], max(bound, exact[2]), degree
    return heuristic_groups(p)


def _cliques(allowed: np.ndarray, score: np.ndarray, sizes: set[int]):
    """All cliques with their scores, by size, for sizes in ``sizes`` (None if too many)."""
    n = len(allowed)
    iu, ju = np.nonzero(np.triu(allowed, 1))
    members = np.stack([iu, ju], axis=1)
    value = score[iu, ju].astype(np.int64)
    out, total = {}, 0
    for size in range(2, max(sizes) + 1):
        if size in sizes:
            out[size] = (members, value)
            total += len(members)
            if total > COLUMN_CAP:
                return None
        if size == max(sizes) or len(members) == 0:
            break
        ok = np.ones((len(members), n), np.bool_)
        for col in range(size):
            ok &= allowed[members[:, col]]
        ok &= np.arange(n)[None, :] > members[:, -1:]
        rows, new = np.nonzero(ok)
        if len(rows) > COLUMN_CAP:
            return None
        value = value[rows] + score[members[rows], new[:, None]].sum(axis=1)
        members = np.concatenate([members[rows], new[:, None]], axis=1)
    return out


def _exact(p: Problem, allowed, score, degree) -> tuple[list[list[int]], int, int, bool] | None:
    """Lexicographic MILPs, one per branch of the size rule: members placed, then score.

    Branch A uses sizes k and k + 1 with at most k - 1 groups of k + 1 (the remainder
    joins groups); branch B uses sizes k - 1 and k, which the rule allows only when there
    are fewer groups than leftovers (y_k + 2 y_(k-1) <= k, at least one smaller group).
    Returns (groups, bound, objective, proven): proven is False if a solve timed out.
    """
    k = p.group_size
    sizes = {s for s in (k - 1, k, k + 1) if s >= 2}
    cliques = _cliques(allowed, score, sizes)
    if cliques is None:
        return None
    weight = 1 + p.n * k * int(np.abs(score).max(initial=1))
    best = _branch(p.n, cliques, {k: None, k + 1: (0, k - 1)}, None, weight)
    proven = best is None or best[3]
    if k - 1 >= 2 and (best is None or sum(map(len, best[0])) <= k * k):
        other = _branch(p.n, cliques, {k - 1: (1, k - 1), k: None}, k, weight)
        proven = proven and (other is None or other[3])
        if other is not None and (best is None or _key(other) > _key(best)):
            best = other
    if best is None:
        return [], 0, 0, proven
    return best[0], best[1], best[2], proven


def _key(result) -> tuple[int, int]:
    groups, _, value, _ = result
    return sum(map(len, groups)), value


def _branch(n: int, cliques: dict, limits: dict, pair_cap: int | None, weight: int):
    """Best solution using the sizes in ``limits`` (size -> (min, max) count or None)."""
    kinds = [s for s in sorted(limits) if s in cliques and len(cliques[s][0])]
    if not kinds:
        return None
    members = [cliques[s][0] for s in kinds]
    value = np.concatenate([cliques[s][1] for s in kinds])
    count = len(value)
    rows = np.concatenate([m.ravel() for m in members])
    colidx = np.concatenate(
        [np.repeat(np.arange(len(m)), m.shape[1]) + off for m, off in _offsets(members)]
    )
    size_of = np.concatenate([np.full(len(m), m.shape[1]) for m in members])
    # Imported here: HiGHS costs half a second to import and only small rounds use it.
    from scipy.optimize import Bounds, LinearConstraint, milp

    constraints = [LinearConstraint(csr_matrix((np.ones(len(rows)), (rows, colidx)),
                                               shape=(n, count)), 0, 1)]  # fmt: skip
    for s, span in limits.items():
        if span is not None:
            row = (size_of == s).astype(float)[None, :]
            constraints.append(LinearConstraint(row, span[0], span[1]))
    if pair_cap is not None:
        # Branch B: groups of k count once, groups of k - 1 twice, k in all.
        row = np.where(size_of == pair_cap, 1.0, 2.0)[None, :]
        constraints.append(LinearConstraint(row, 0, pair_cap))
    res = milp(
        c=-(value + weight * size_of).astype(float),
        constraints=constraints,
        integrality=np.ones(count),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "time_limit": MILP_SECONDS},
    )
    if res.x is None:
        # Infeasible (the size limits cannot be met): no answer. Out of time before any
        # solution: an empty one that is not proven, so the caller falls back.
        return None if res.status == 2 else ([], 0, 0, False)
    chosen = np.flatnonzero(res.x > 0.5)
    offsets = np.cumsum([0] + [len(m) for m in members])
    groups = []
    for c in chosen:
        kind = int(np.searchsorted(offsets, c, side="right") - 1)
        groups.append(sorted(members[kind][c - offsets[kind]].tolist()))
    objective = int(value[chosen].sum())
    bound = objective
    if res.status != 0:  # time limit: the dual bound, less the placement weight
        placed = int(size_of[chosen].sum())
        bound = max(objective, int(np.floor(-res.mip_dual_bound - weight * placed + 1e-6)))
    return groups, bound, objective, res.status == 0


def _offsets(members: list[np.ndarray]):
    off = 0
    for m in members:
        yield m, off
        off += len(m)
