"""The pair relaxation of ``group_bound`` solved to optimality, up to ``LP_MAX`` members:
the LP itself, where ``group_bound`` reaches a point of it by coordinate descent.

Variables: x_ij in [0, 1] for pairs (i and j share a group) and e_i in [0, 1] (i is in
a group of k + 1). Rows: each member's group-mates, sum_j x_ij - e_i <= k - 1; the
extra slots, sum e_i <= (k + 1)(k - 1); for each member j and big organisation O (not
j's), sum over i in O of x_ij <= 1; and each capped organisation's group-mates in all
(``group_bound.capacities``). HiGHS solves it over a pool of pairs, starting from
the candidate graph; its duals are priced over every allowed pair in one compiled pass
(``pair_excess``), the pairs with excess join the pool, and the loop stops when none
has any, after ``ROUNDS`` or ``SECONDS``. The bound is weak duality with the duals
clipped at zero, over every pair, so it holds whatever HiGHS reached.

At 1,000 members (``bench/group_table.py`` cohorts): on the ``big_org`` shape 42,027
where the descent gave 42,406 (k = 4) and 51,866 for 52,114 (k = 5), 43,369 and 53,732
before the descent's capacities took n - |O|; on the others
0.4 % below the descent (k = 5: 61,505 for 61,759; k = 7: 89,755 for 90,110). It takes
1.3-2.4 s more there.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from .group_bound import (
    FULL_PASS_MAX,
    big_organisations,
    candidate_pairs,
    capacities,
    dual_value,
    pair_excess,
)
from .problem import Problem

# Up to LP_MAX members (1.3-2.4 s at 1,000 members; 8-9 s at 3,000, for 0.8-4.5 % off
# the bound there, so not run). Every pair is priced, so not above FULL_PASS_MAX.
LP_MAX = min(2000, FULL_PASS_MAX)
ROUNDS = 8
SECONDS = 8.0
NEW_PER_MEMBER = 8  # pairs with excess taken into the pool per member and round


def pair_lp_bound(p: Problem, idx: np.ndarray, w: np.ndarray, cnt: np.ndarray) -> float:
    """The LP's bound (module docstring), starting from the candidate lists ``idx``/``w``/
    ``cnt`` (as ``scan.top_candidates`` returns them); inf above ``LP_MAX`` members."""
    if p.n > LP_MAX or p.n == 0:
        return np.inf
    a, b, s = candidate_pairs(idx, w, cnt)
    big = big_organisations(p)
    cap = capacities(p, big, p.group_size)
    n, k = p.n, p.group_size
    started = time.perf_counter()
    keep = s > 0  # the others have no excess at any duals
    a, b, s = a[keep], b[keep], s[keep]
    best = np.inf
    for _ in range(ROUNDS):
        duals = _solve(n, k, a, b, s, big, cap)
        if duals is None:
            break
        own, z, lam = duals
        charge = own + np.where(big >= 0, lam[np.maximum(big, 0)] if len(lam) else 0.0, 0.0)
        excess, top_j, top_s = pair_excess(p, charge, big, z, NEW_PER_MEMBER)
        best = min(best, dual_value(own, z, lam, cap, k) + excess)
        if excess <= 1e-6 or time.perf_counter() - started > SECONDS:
            break
        i = np.repeat(np.arange(n), NEW_PER_MEMBER)
        j, v = top_j.ravel(), top_s.ravel()
        found = j >= 0
        i, j, v = i[found], j[found], v[found]
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        key = np.concatenate([a * n + b, lo * n + hi])
        key, first = np.unique(key, return_index=True)
        score = np.concatenate([s, v])[first]
        if len(key) == len(a):
            break
        a, b, s = key // n, key % n, score
    return best


def _solve(n, k, a, b, s, big, cap):
    """(own duals, organisation duals n x orgs, capacity duals) of the LP over the pairs
    (a, b, s), or None if HiGHS fails."""
    m = len(a)
    orgs = len(cap)
    edge = np.arange(m)
    # Each member's group-mates, less its extra slot.
    rows = [np.concatenate([a, b, np.arange(n)])]
    cols = [np.concatenate([edge, edge, m + np.arange(n)])]
    vals = [np.concatenate([np.ones(2 * m), -np.ones(n)])]
    rhs = [np.full(n, k - 1.0)]
    # The extra slots.
    rows.append(np.full(n, n))
    cols.append(m + np.arange(n))
    vals.append(np.ones(n))
    rhs.append(np.array([(k + 1) * (k - 1.0)]))
    # (j, O): at most one group-mate of j from O.
    j = np.concatenate([a, b])
    o = np.concatenate([big[b], big[a]])
    e = np.concatenate([edge, edge])
    mine = np.concatenate([big[a], big[b]])
    ok = (o >= 0) & (o != mine)
    key, row = np.unique(j[ok] * max(orgs, 1) + o[ok], return_inverse=True)
    rows.append(n + 1 + row)
    cols.append(e[ok])
    vals.append(np.ones(int(ok.sum())))
    rhs.append(np.ones(len(key)))
    # Capacity rows.
    base = n + 1 + len(key)
    capped = np.flatnonzero(cap > 0)
    index = np.full(max(orgs, 1), -1)
    index[capped] = np.arange(len(capped))
    member = np.concatenate([a, b])
    side = np.where(big[member] >= 0, index[np.maximum(big[member], 0)], -1)
    ok = side >= 0
    rows.append(base + side[ok])
    cols.append(e[ok])
    vals.append(np.ones(int(ok.sum())))
    rhs.append(cap[capped])
    shape = (base + len(capped), m + n)
    matrix = csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    )
    result = linprog(
        -np.concatenate([s, np.zeros(n)]),
        A_ub=matrix,
        b_ub=np.concatenate(rhs),
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        return None
    dual = np.maximum(-result.ineqlin.marginals, 0.0)
    own = dual[:n]
    z = np.zeros((n, orgs), np.float64)
    if len(key):
        z[key // max(orgs, 1), key % max(orgs, 1)] = dual[n + 1 : base]
    lam = np.zeros(orgs, np.float64)
    lam[capped] = dual[base:]
    return own, z, lam
