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

An organisation with more members than there can be groups also has a capacity dual
lam_O >= 0 on "its members have at most ceil(n / k) (k - 1) group-mates in all" (one of
them per group): B gains cap_O lam_O, each member i of O pays its own y_i on its slots,
and its pairs are charged y_i + lam_O. lam_O minimises B exactly in one coordinate (B is
convex and piecewise linear in it), in a third stage after y and z. Implied by the z rows
in the LP, it still lowers what coordinate descent reaches: on the ``big_org`` shape,
k = 4, from 45,903 to 43,369 at 1,000 members, and k = 5 from 665,808 to 589,990 at
10,000 (0.8 s more there).

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
def _descend(ptr, col, wt, k, y, floor, big, z, lam, cap, sweeps):
    n = len(ptr) - 1
    top = np.empty(k, np.float64)  # the k largest positive values, in decreasing order
    first = np.zeros(z.shape[1], np.float64)
    second = np.zeros(z.shape[1], np.float64)
    want = np.zeros(n, np.float64)
    for _ in range(sweeps):
        for i in range(n):
            top[:] = 0.0
            for e in range(ptr[i], ptr[i + 1]):
                keep_largest(top, wt[e] - y[col[e]] - _zpair(i, col[e], big, z))
            # The k-th largest positive value (0 when there are fewer than k).
            want[i] = max(floor[i], top[k - 1])
            y[i] = max(want[i], _lam(i, big, lam))
        for o in range(len(lam)):
            if cap[o] > 0:
                _capacity(ptr, col, wt, k, y, want, big, z, lam, cap, o)
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
def _lam(i, big, lam):
    """The organisation capacity dual charged with member i (0 outside a capped one)."""
    if len(lam) == 0 or big[i] < 0:
        return 0.0
    return lam[big[i]]


@njit(cache=True)
def _capacity(ptr, col, wt, k, y, want, big, z, lam, cap, o):
    """Set organisation o's capacity dual lam_o to minimise B, then its members' charges
    to max(want_i, lam_o). As a function of t = lam_o, B is cap_o t plus, per member i of
    o, (k - 1) max(0, want_i - t) plus its pairs' excess max(0, c_e - max(want_i, t)),
    c_e = score - (the other's charge): convex and piecewise linear. Its slope starts at
    cap_o - (k - 1) |o| and rises at each want_i by k - 1 - #{c_e > want_i}, then by 1 at
    each such c_e; lam_o is the first point where it is no longer negative."""
    n = len(ptr) - 1
    size = 0
    for i in range(n):
        if big[i] == o:
            size += ptr[i + 1] - ptr[i] + 1
    at = np.empty(size, np.float64)
    rise = np.empty(size, np.float64)
    q = 0
    slope = cap[o]
    for i in range(n):
        if big[i] != o:
            continue
        slope -= k - 1
        above = 0
        for e in range(ptr[i], ptr[i + 1]):
            c = wt[e] - y[col[e]] - _zpair(i, col[e], big, z)
            if c > want[i]:
                above += 1
                at[q] = c
                rise[q] = 1.0
                q += 1
        at[q] = want[i]
        rise[q] = k - 1 - above
        q += 1
    best = 0.0
    order = np.argsort(at[:q])
    for r in order:
        if slope >= 0:
            break
        best = at[r]
        slope += rise[r]
    if slope < 0:  # cannot happen with cap_o >= 0: past every point the slope is cap_o
        best = at[order[-1]]
    lam[o] = best
    for i in range(n):
        if big[i] == o:
            y[i] = max(want[i], best)


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
    rand, mix, avoid_org, mentoring, exc_ptr, exc_col, exc_forbid, exc_meet, out, top_j, top_s,
):  # fmt: skip
    """out[i] = sum over allowed j != i of max(0, score_ij - y_i - y_j - z); top_j/top_s
    (width r, may be 0): the r partners of i with the largest such excess, and their
    scores (-1 where i has fewer)."""
    n = org.shape[0]
    r = top_j.shape[1]
    for c in prange((n + chunk - 1) // chunk):
        row = np.empty(n, np.int32)
        sh = np.empty(n, np.int32)
        best = np.empty(r, np.float64)
        for i in range(c * chunk, min(n, (c + 1) * chunk)):
            _fill_row(i, row, sh, bits_t, org, fmt, region, role, exp, sector, left_out,
                      avoid_org, mentoring, mix)  # fmt: skip
            _apply_exceptions(i, row, exc_ptr, exc_col, exc_forbid, exc_meet)
            total = 0.0
            best[:] = 0.0
            top_j[i, :] = -1
            for j in range(n):
                if row[j] == NEG:
                    continue
                charge = y[i] + y[j] + _zpair(i, j, big, z)
                v = row[j] - charge
                if v + rand <= 0:
                    continue
                if rand > 0:
                    v += _jitter(i, j, id_hash, seedk, rand)
                if v > 0:
                    total += v
                    if r and v > best[r - 1]:
                        q = r - 1
                        while q > 0 and best[q - 1] < v:
                            best[q] = best[q - 1]
                            top_j[i, q] = top_j[i, q - 1]
                            top_s[i, q] = top_s[i, q - 1]
                            q -= 1
                        best[q] = v
                        top_j[i, q] = j
                        top_s[i, q] = v + charge
            out[i] = total


def pair_excess(
    p: Problem, y: np.ndarray, big: np.ndarray, z: np.ndarray, r: int = 0
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sum over all allowed pairs of max(0, score - y_i - y_j - z_i,O(j) - z_j,O(i)),
    exactly (O(n^2)); ``big`` as ``big_organisations`` gives it, ``z`` the organisation
    duals. With ``r``, also each member's r partners of largest excess and their scores
    (n x r, -1 where fewer)."""
    out = np.zeros(p.n, np.float64)
    top_j = np.full((p.n, r), -1, np.int64)
    top_s = np.zeros((p.n, r), np.float64)
    ptr, col, forbid, meet = _exception_rows(p)
    mix = {"any": 0, "mixed": 1, "same": 2}[p.sector_mix]
    _excess(
        max(1, min(64, p.n // 64)), y.astype(np.float64), big, np.ascontiguousarray(z),
        np.ascontiguousarray(p.interests.T),
        p.org, p.fmt, p.region, p.role, p.experience, p.sector, p.left_out.astype(np.int32),
        p.id_hash, seed_key(p.seed), np.int64(p.randomness), mix, p.avoid_same_organisation,
        p.mentoring, ptr, col, forbid, meet, out, top_j, top_s,
    )  # fmt: skip
    return float(out.sum()) / 2.0, top_j, top_s


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


def capacities(p: Problem, big: np.ndarray, k: int) -> np.ndarray:
    """Per big organisation, the most group-mates its members can have in all (0 when
    that is no limit): a group holds at most one of them, and its members other than
    them, k - 1 or (in the k - 1 groups at most that take a leftover) k. With P placed
    there are floor(P / k) groups when some take a leftover, ceil(P / k) at most
    otherwise: ceil(n / k) (k - 1) covers both. And each of their group-mates is a member
    of another organisation sharing a group with exactly one of them: at most n - |O| in
    all. (The LP of ``group_pairlp`` implies this through its z rows; the descent, the
    bound above ``LP_MAX`` members, gains from it: on the ``big_org`` cohort at 10,000
    members, k = 5 from 589,990 to 569,029, k = 6 from 704,887 to 677,016.)"""
    sizes = np.bincount(big[big >= 0], minlength=int(big.max(initial=-1)) + 1)
    slots = np.minimum(sizes, -(-p.n // k)) * (k - 1)
    cap = np.minimum(slots, p.n - sizes).astype(np.float64)
    return np.where(sizes * (k - 1) > cap, cap, 0.0)


def relaxation_bound(p: Problem, idx: np.ndarray, w: np.ndarray, cnt: np.ndarray) -> int:
    """B(y, z) (module docstring) with y and z fitted on the candidate lists ``idx``/``w``/``cnt``
    (each member's best partners, as ``scan.top_candidates`` returns them)."""
    n, k = p.n, p.group_size
    if n == 0:
        return 0
    # Candidate graph, symmetric, as CSR.
    width = idx.shape[1]
    a, b, s = candidate_pairs(idx, w, cnt)
    a, b, s = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([s, s])
    order = np.lexsort((b, a))
    a, b, s = a[order], b[order], s[order]
    ptr = np.searchsorted(a, np.arange(n + 1))
    big = big_organisations(p)
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
    cap = capacities(p, big, k)
    for floor, candidates_only in variants:
        y = floor.copy()
        z = np.zeros((n, len(cap)), np.float64)
        lam = np.zeros(len(cap), np.float64)
        # First without the organisation duals, then with them from there: each step
        # minimises the bound over the candidate graph in one coordinate, so the second
        # stage only lowers it there (started together, the two stalled higher on some
        # cohorts). Over all pairs (no floor) the second stage can raise it: both counted.
        _descend(ptr, b, s, k, y, floor, big, z[:, :0], lam[:0], cap[:0], SWEEPS)
        stages = [(y, z, lam)]
        if len(cap):
            y, z, lam = y.copy(), z.copy(), lam.copy()
            _descend(ptr, b, s, k, y, floor, big, z, lam[:0], cap[:0], SWEEPS)
            stages.append((y, z, lam))
        if (cap > 0).any():
            y, z, lam = y.copy(), z.copy(), lam.copy()
            _descend(ptr, b, s, k, y, floor, big, z, lam, cap, SWEEPS)
            stages.append((y, z, lam))
        for charge, zz, ll in stages:
            # charge: each member's own dual plus its organisation's capacity dual.
            own = charge - np.where(big >= 0, ll[np.maximum(big, 0)] if len(ll) else 0.0, 0.0)
            value = dual_value(own, zz, ll, cap, k)
            if candidates_only:
                value += _candidate_excess(ptr, b, s, charge, big, zz)
            else:
                value += pair_excess(p, charge, big, zz)[0]
            best = min(best, value)
    return int(np.floor(best + 1e-6))


def candidate_pairs(
    idx: np.ndarray, w: np.ndarray, cnt: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate lists as pairs a < b, each once, with their scores."""
    n, width = idx.shape
    rows = np.repeat(np.arange(n), width)
    keep = (np.arange(width)[None, :] < cnt[:, None]).ravel()
    a, b, s = rows[keep], idx.ravel()[keep].astype(np.int64), w.ravel()[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key, first = np.unique(lo * n + hi, return_index=True)
    return key // n, key % n, s[first].astype(np.float64)


def dual_value(own: np.ndarray, z: np.ndarray, lam: np.ndarray, cap: np.ndarray, k: int) -> float:
    """B without the pairs' excess: the members' slots (k - 1 each, and the (k + 1)(k - 1)
    extra ones of groups that take a leftover, at the largest duals), the organisation
    duals and the capacity duals."""
    extra = (k + 1) * (k - 1)
    value = (k - 1) * own.sum() + np.sort(own)[::-1][:extra].sum() + z.sum()
    return float(value + cap @ lam)
