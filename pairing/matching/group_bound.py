"""A relaxation bound for large group rounds (the heuristic's certificate).

In any grouping the rules allow, a member has at most k - 1 group-mates, except members
of groups of k + 1 (k, and at most (k + 1)(k - 1) such members, since at most k - 1
groups take a leftover). Treating "i and j share a group" as an edge x_ij in [0, 1] with
those degree limits gives a linear relaxation (a b-matching with a few extra slots); by
weak duality, for any y >= 0 every grouping is worth at most

    B(y) = (k - 1) sum(y) + (sum of the (k + 1)(k - 1) largest y)
           + sum over all allowed pairs of max(0, score_ij - y_i - y_j).

y comes from coordinate descent on the candidate graph (each y_i set to the k-th largest
of score_ij - y_j over its candidates), then B(y) is evaluated exactly over all n^2 / 2
pairs in one compiled pass, so the bound holds for the whole graph. Unlike the sum of
each member's best partners, it charges a partner once, whoever claims it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .problem import Problem
from .scan import NEG, _apply_exceptions, _exception_rows, _fill_row, _jitter
from .scoring import seed_key

SWEEPS = 40


@njit(cache=True)
def _descend(ptr, col, wt, k, y, sweeps):
    n = len(ptr) - 1
    buf = np.empty(max(1, np.max(ptr[1:] - ptr[:-1])), np.float64)
    for _ in range(sweeps):
        for i in range(n):
            m = 0
            for e in range(ptr[i], ptr[i + 1]):
                v = wt[e] - y[col[e]]
                if v > 0:
                    buf[m] = v
                    m += 1
            if m < k:
                y[i] = 0.0
            else:
                part = np.sort(buf[:m])
                y[i] = part[m - k]


@njit(parallel=True, cache=True)
def _excess(
    chunk, y, bits_t, org, fmt, region, role, exp, sector, left_out, id_hash, seedk, rand, mix,
    avoid_org, mentoring, exc_ptr, exc_col, exc_forbid, exc_meet, out,
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
                v = row[j] - y[i] - y[j]
                if v + rand <= 0:
                    continue
                if rand > 0:
                    v += _jitter(i, j, id_hash, seedk, rand)
                if v > 0:
                    total += v
            out[i] = total


def pair_excess(p: Problem, y: np.ndarray) -> float:
    """Sum over all allowed pairs of max(0, score - y_i - y_j), exactly (O(n^2))."""
    out = np.zeros(p.n, np.float64)
    ptr, col, forbid, meet = _exception_rows(p)
    mix = {"any": 0, "mixed": 1, "same": 2}[p.sector_mix]
    _excess(
        max(1, min(64, p.n // 64)), y.astype(np.float64), np.ascontiguousarray(p.interests.T),
        p.org, p.fmt, p.region, p.role, p.experience, p.sector, p.left_out.astype(np.int32),
        p.id_hash, seed_key(p.seed), np.int64(p.randomness), mix, p.avoid_same_organisation,
        p.mentoring, ptr, col, forbid, meet, out,
    )  # fmt: skip
    return float(out.sum()) / 2.0


def relaxation_bound(p: Problem, idx: np.ndarray, w: np.ndarray, cnt: np.ndarray) -> int:
    """B(y) (module docstring) with y fitted on the candidate lists ``idx``/``w``/``cnt``
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
    y = np.zeros(n, np.float64)
    _descend(ptr, b, s, k, y, SWEEPS)
    extra = (k + 1) * (k - 1)
    value = (k - 1) * y.sum() + np.sort(y)[::-1][:extra].sum() + pair_excess(p, y)
    return int(np.floor(value + 1e-6))
