"""The previous exact group method, kept for comparison (bench) and as a fallback.

Every allowed clique of the needed sizes becomes a column of a set partitioning MILP
(HiGHS via scipy.optimize.milp), trying the placed count P from the largest down, so
placement comes first and the score is optimal for it. It enumerates every clique, which
is millions of columns for k = 6-7 at N = 40, and HiGHS can take minutes; ``groups`` now
uses column generation (``colgen``) and calls this only if HiGHS fails there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, vstack

from .group_search import heuristic_groups
from .group_sizes import composition, feasible_counts
from .problem import Problem
from .scoring import dense, group_score

EXACT_MAX = 40
COLUMN_CAP = 1_500_000
MILP_SECONDS = 180.0


def previous_groups(p: Problem) -> tuple[list[list[int]], int, np.ndarray]:
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
    """Most members placed, then the best score for that many.

    From a bound on how many can be placed down, the group counts the size rule fixes
    for that many: a linear relaxation rules a count out in a second or two, and the
    first count whose set-partitioning MILP (HiGHS) is feasible is optimal.
    Fixing the counts is what makes it fast: one MILP that traded placement against
    score through a large weight, or one that had to prove a count impossible, took
    HiGHS minutes at N = 40. Returns (groups, bound, objective, proven): proven is False
    if HiGHS ran out of time.
    """
    k = p.group_size
    sizes = {s for s in (k - 1, k, k + 1) if s >= 2}
    cliques = _cliques(allowed, score, sizes)
    if cliques is None:
        return None
    deadline = time.monotonic() + MILP_SECONDS
    for placed in feasible_counts(_placement_bound(p.n, k, cliques), k):
        result = _best(p.n, cliques, composition(placed, k), deadline - time.monotonic())
        if result is not None:
            return result
    return [], 0, 0, True


@dataclass
class Columns:
    """Cliques of some sizes as set-partitioning columns, in order of size."""

    members: list[np.ndarray]  # per size: one row of member indices per clique
    matrix: csr_matrix  # member x column: 1 where the member is in the clique
    size: np.ndarray
    value: np.ndarray

    def groups(self, chosen: np.ndarray) -> list[list[int]]:
        offsets = np.cumsum([0] + [len(m) for m in self.members])
        at = np.searchsorted(offsets, chosen, side="right") - 1
        return [sorted(self.members[a][c - offsets[a]].tolist())
                for a, c in zip(at.tolist(), chosen.tolist(), strict=True)]  # fmt: skip


def clique_columns(n: int, cliques: dict, kinds: list[int]) -> Columns:
    """The cliques of the sizes ``kinds`` (each present in ``cliques``) as columns."""
    members = [cliques[s][0] for s in kinds]
    size = np.concatenate([np.full(len(m), m.shape[1]) for m in members])
    rows = np.concatenate([m.ravel() for m in members])
    cols = np.repeat(np.arange(len(size)), size)
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(size)))
    return Columns(members, matrix, size, np.concatenate([cliques[s][1] for s in kinds]))


def _placement_bound(n: int, k: int, cliques: dict) -> int:
    """Most members any grouping can place, from two linear relaxations, one per branch
    of the size rule: sizes k and k + 1 with at most k - 1 of k + 1 (the remainder joins
    groups); or sizes k - 1 and k with 1 to k - 1 of k - 1 and fewer groups than
    leftovers (count_k + 2 count_(k-1) <= k)."""
    from scipy.optimize import linprog

    best = 0
    for small, big, cap in ((k, k + 1, False), (k - 1, k, True)):
        kinds = [s for s in (small, big) if s >= 2 and s in cliques and len(cliques[s][0])]
        if not kinds or (cap and small not in kinds):
            continue
        cols = clique_columns(n, cliques, kinds)
        a_ub, b_ub = [cols.matrix], [np.ones(n)]
        counted = small if cap else big
        if counted in kinds:
            a_ub.append(csr_matrix((cols.size == counted).astype(np.float64)[None, :]))
            b_ub.append(np.array([k - 1.0]))
        if cap:
            a_ub.append(csr_matrix(np.where(cols.size == k, 1.0, 2.0)[None, :]))
            b_ub.append(np.array([float(k)]))
        res = linprog(-cols.size.astype(np.float64), A_ub=vstack(a_ub),
                      b_ub=np.concatenate(b_ub), bounds=(0, 1), method="highs")  # fmt: skip
        # A relaxation HiGHS could not solve bounds nothing: fall back to everyone.
        best = max(best, int(np.floor(-res.fun + 1e-6)) if res.status == 0 else n)
    return min(best, n)


def _best(n: int, cliques: dict, counts: dict[int, int], seconds: float):
    """Best-scoring choice of exactly ``counts[s]`` disjoint cliques of each size s, as
    (groups, bound, objective, proven); None if no such choice exists."""
    if any(len(cliques.get(s, ((), ()))[0]) < c for s, c in counts.items()):
        return None
    if seconds <= 0:
        return [], 0, 0, False
    kinds = sorted(counts)
    cols = clique_columns(n, cliques, kinds)
    value = cols.value.astype(float)
    per_size = csr_matrix((np.ones(len(value)), (np.searchsorted(kinds, cols.size),
                                                 np.arange(len(value)))),
                          shape=(len(kinds), len(value)))  # fmt: skip
    want = np.array([counts[s] for s in kinds], float)
    # Imported here: HiGHS costs half a second to import and only small rounds use it.
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    started = time.monotonic()
    relaxed = linprog(-value, A_ub=cols.matrix, b_ub=np.ones(n), A_eq=per_size, b_eq=want,
                      bounds=(0, 1), method="highs")  # fmt: skip
    if relaxed.status == 2:
        return None  # not even fractionally: that many cannot be placed
    res = milp(
        c=-value,
        constraints=[LinearConstraint(cols.matrix, 0, 1), LinearConstraint(per_size, want, want)],
        integrality=np.ones(len(value)),
        bounds=Bounds(0, 1),
        options={
            "mip_rel_gap": 0.0,
            "time_limit": max(seconds - (time.monotonic() - started), 1e-3),
        },
    )
    if res.status == 2:
        return None
    if res.x is None:
        return [], 0, 0, False  # out of time before any solution
    chosen = np.flatnonzero(res.x > 0.5)
    objective = int(cols.value[chosen].sum())
    bound = objective if res.status == 0 else int(np.floor(-res.mip_dual_bound + 1e-6))
    return cols.groups(chosen), max(objective, bound), objective, res.status == 0
