"""A relaxation bound for large group rounds (the heuristic's certificate).

In any grouping the rules allow, a member has at most k - 1 group-mates, except members
of groups of k + 1 (k, and at most (k + 1)(k - 1) such members, since at most k - 1
groups take a leftover). When members of one organisation may not meet, a member also
has at most one group-mate from each organisation. Treating "i and j share a group" as
an edge x_ij in [0, 1] with those limits gives a linear relaxation (a b-matching with a
few extra slots, and at most one edge from a member to each organisation); by weak
duality, for any y >= 0 and z >= 0 (z_jO for member j and organisation O, kept for the
``BIG_ORGS`` largest) every grouping is worth at most

    B(y, z) = (k - 1) sum(y) + (sum of the (k + 1)(k - 1) largest y) + sum(z)
              + sum over all allowed pairs of max(0, score_ij - y_i - y_j
                                                     - z_i,O(j) - z_j,O(i)).

y and z come from coordinate descent on the candidate graph (each y_i set to the k-th
largest of score_ij - y_j - z over its candidates; each z_jO to the second largest excess
of j's pairs with O), first y alone, then both. The pairs outside the candidate graph are
covered in one of two ways, and the lower bound is kept:

- y is floored at half of each member's last candidate score (lists are exact, so a pair
  outside them scores no more than either member's last candidate, and has no excess):
  B then sums over the candidate pairs only. This is what makes it a bound at 10,000
  members, where many partners tie with the last candidate.
- Without the floor, up to ``FULL_PASS_MAX`` members, B is evaluated exactly over all
  n^2 / 2 pairs in one compiled pass.

Unlike the sum of each member's best partners, it charges a partner once, whoever
claims it, and an organisation's members once per member.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .cliques import keep_largest
from .problem import Problem
from .scan import NEG, _apply_exceptions, _exception_rows, _fill_row, _jitter
from .scoring import seed_key

SWEEPS = 40
# Organisations given their own duals (the largest, of at least this many members).
BIG_ORGS = 32
BIG_ORG_MIN = 3
FULL_PASS_MAX = 3000


@njit(cache=True)
def _zpair(i, j, big, z):
    """The organisation duals charged to the pair (i, j): z[i, O(j)] + z[j, O(i)]."""
    t = 0.0
    if z.shape[1] == 0:
        return t
    if big[j] >= 0:
        t += z[i, big[j]]
    if big[i] >= 0:
        t += z[j, big[i]]
    return t


@njit(cache=True)
def _descend(ptr, col, wt, k, y, floor, big, z, sweeps):
    n = len(ptr) - 1
    top = np.empty(k, np.float64)  # the k largest positive values, in decreasing order
    first = np.zeros(z.shape[1], np.float64)
    second = np.zeros(z.shape[1], np.float64)
    for _ in range(sweeps):
        for i in range(n):
            top[:] = 0.0
            for e in range(ptr[i], ptr[i + 1]):
                keep_largest(top, wt[e] - y[col[e]] - _zpair(i, col[e], big, z))
            # The k-th largest positive value (0 when there are fewer than k).
            y[i] = max(floor[i], top[k - 1])
        if z.shape[1] == 0:
            continue
        # z[j, O]: j has at most one group-mate from O, so it is the second largest
        # excess of j's pairs with O (with the other duals fixed).
        for j in range(n):
            for e in range(ptr[j], ptr[j + 1]):
                o = big[col[e]]
                if o >= 0:
                    first[o] = 0.0
                    second[o] = 0.0
            for e in range(ptr[j], ptr[j + 1]):
                i = col[e]
                o = big[i]
                if o < 0 or o == big[j]:
                    continue
                v = wt[e] - y[i] - y[j] - (z[i, big[j]] if big[j] >= 0 else 0.0)
                if v > first[o]:
                    second[o] = first[o]
                    first[o] = v
                elif v > second[o]:
                    second[o] = v
            for e in range(ptr[j], ptr[j + 1]):
                o = big[col[e]]
                if o >= 0 and o != big[j]:
                    z[j, o] = second[o]


@njit(cache=True)
def _candidate_excess(ptr, col, wt, y, big, z):
    total = 0.0
    for i in range(len(ptr) - 1):
        for e in range(ptr[i], ptr[i + 1]):
            v = wt[e] - y[i] - y[col[e]] - _zpair(i, col[e], big, z)
            if v > 0:
                total += v
    return total / 2.0  # each pair is stored from both ends


@njit(parallel=True, cache=True)
def _excess(
    chunk, y, big, z, bits_t, org, fmt, region, role, exp, sector, left_out, id_hash, seedk,
    rand, mix, avoid_org, mentoring, exc_ptr, exc_col, exc_forbid, exc_meet, out,
):  # fmt: skip
    """out[i] = sum over allowed j != i of max(0, score_ij - y_i - y_j)."""
    n = org.shape[0]
    for c in prange((n + chunk - 1) // chunk):
        row = np.empty(n, np.int32)
        sh = np.empty(n, np.int32)
        for i in range(c * chunk, min(n, (c + 1) * chunk)):
            _fill_row(i, row, sh, bits_t, org, fmt, region, role, exp, sector, left_out,
                      avoid_org, mentoring, mix)  # fmt: skip
            _apply_exceptions(i, row, exc_ptr, exc_col, exc_forbid, exc_meet)
            total = 0.0
            for j in range(n):
                if row[j] == NEG:
                    continue
                v = row[j] - y[i] - y[j] - _zpair(i, j, big, z)
                if v + rand <= 0:
                    continue
                if rand > 0:
                    v += _jitter(i, j, id_hash, seedk, rand)
                if v > 0:
                    total += v
            out[i] = total


def pair_excess(p: Problem, y: np.ndarray, big: np.ndarray, z: np.ndarray) -> float:
    """Sum over all allowed pairs of max(0, score - y_i - y_j - z_i,O(j) - z_j,O(i)),
    exactly (O(n^2)); ``big`` as ``big_organisations`` gives it, ``z`` the organisation
    duals."""
    out = np.zeros(p.n, np.float64)
    ptr, col, forbid, meet = _exception_rows(p)
    mix = {"any": 0, "mixed": 1, "same": 2}[p.sector_mix]
    _excess(
        max(1, min(64, p.n // 64)), y.astype(np.float64), big, np.ascontiguousarray(z),
        np.ascontiguousarray(p.interests.T),
        p.org, p.fmt, p.region, p.role, p.experience, p.sector, p.left_out.astype(np.int32),
        p.id_hash, seed_key(p.seed), np.int64(p.randomness), mix, p.avoid_same_organisation,
        p.mentoring, ptr, col, forbid, meet, out,
    )  # fmt: skip
    return float(out.sum()) / 2.0


def big_organisations(p: Problem) -> np.ndarray:
    """Per member, the index of its organisation among the ``BIG_ORGS`` largest with at
    least ``BIG_ORG_MIN`` members (-1 otherwise, or when organisations may meet)."""
    big = np.full(p.n, -1, np.int64)
    if not p.avoid_same_organisation or p.n == 0:
        return big
    known = p.org[p.org >= 0]
    if not len(known):
        return big
    sizes = np.bincount(known)
    order = np.argsort(-sizes, kind="stable")[:BIG_ORGS]
    order = order[sizes[order] >= BIG_ORG_MIN]
    index = np.full(len(sizes), -1, np.int64)
    index[order] = np.arange(len(order))
    where = p.org >= 0
    big[where] = index[p.org[where]]
    return big


def relaxation_bound(p: Problem, idx: np.ndarray, w: np.ndarray, cnt: np.ndarray) -> int:
    """B(y, z) (module docstring) with y and z fitted on the candidate lists ``idx``/``w``/``cnt``
    (each member's best partners, as ``scan.top_candidates`` returns them)."""
    n, k = p.n, p.group_size
    if n == 0:
        return 0
    # Candidate graph, symmetric, as CSR.
    width = idx.shape[1]
    rows = np.repeat(np.arange(n), width)
    keep = (np.arange(width)[None, :] < cnt[:, None]).ravel()
    a, b, s = rows[keep], idx.ravel()[keep], w.ravel()[keep].astype(np.float64)
    a, b, s = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([s, s])
    key = a.astype(np.int64) * n + b
    key, first = np.unique(key, return_index=True)
    a, b, s = key // n, key % n, s[first]
    ptr = np.searchsorted(a, np.arange(n + 1))
    big = big_organisations(p)
    extra = (k + 1) * (k - 1)
    # A pair outside the candidate graph scores no more than either member's last
    # candidate (the lists are exact): with y_i >= half of i's last candidate's score
    # wherever i's list is full, such a pair has no excess, and B needs only the
    # candidate pairs. Without that floor, y can be lower, but B needs every pair (an
    # O(n^2) pass): done up to FULL_PASS_MAX members, and the lower of the two kept.
    full = cnt >= width
    variants = []  # (floor, whether the candidate pairs are enough)
    if width and full.any():
        last = w.min(axis=1)  # the lists are not assumed sorted
        variants.append((np.where(full, np.maximum(last, 0) / 2.0, 0.0), True))
    if n <= FULL_PASS_MAX or not variants:
        variants.append((np.zeros(n), False))
    best = np.inf
    for floor, candidates_only in variants:
        y = floor.copy()
        z = np.zeros((n, int(big.max(initial=-1)) + 1), np.float64)
        # First without the organisation duals, then with them from there: each step
        # minimises the bound over the candidate graph in one coordinate, so the second
        # stage only lowers it (started together, the two stalled higher on some cohorts).
        _descend(ptr, b, s, k, y, floor, big, z[:, :0], SWEEPS)
        if z.shape[1]:
            _descend(ptr, b, s, k, y, floor, big, z, SWEEPS)
        value = (k - 1) * y.sum() + np.sort(y)[::-1][:extra].sum() + z.sum()
        if candidates_only:
            value += _candidate_excess(ptr, b, s, y, big, z)
        else:
            value += pair_excess(p, y, big, z)
        best = min(best, value)
    value = best
    return int(np.floor(value + 1e-6))
