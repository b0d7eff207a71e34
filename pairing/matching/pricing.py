"""Compiled pricing pass and shortest paths for the priced assignment relaxation.

``dual_violations`` is one O(n^2) pass over every allowed pair (same kernels as the
candidate scan in ``scan.py``): it finds the pairs that most exceed the current duals,
which is both the column-generation step and, after the last pass, the proof that the
bound covers every pair of the full graph. ``shortest_distances`` recovers assignment
duals from an optimal assignment (scipy's sparse solver does not return them).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .problem import Problem
from .scan import NEG, _apply_exceptions, _exception_rows, _fill_row, _jitter
from .scoring import seed_key


@njit(parallel=True, cache=True)
def _price(
    chunk, y, bits_t, org, fmt, region, role, exp, sector, left_out, id_hash, seedk, rand, mix,
    avoid_org, mentoring, exc_ptr, exc_col, exc_forbid, exc_meet,
    out_idx, out_v, out_max, out_deg, out_top2,
):  # fmt: skip
    """Per row: the worst dual violations (top ``per``), the largest one, the degree and
    the best two scores. Jitter is only computed where it could change the answer."""
    n = org.shape[0]
    per = out_idx.shape[1]
    low = -(1 << 40)
    for c in prange((n + chunk - 1) // chunk):
        row = np.empty(n, np.int32)
        sh = np.empty(n, np.int32)
        bj = np.empty(per, np.int64)
        bv = np.empty(per, np.float64)
        buf = np.empty(n, np.int64)
        for i in range(c * chunk, min(n, (c + 1) * chunk)):
            _fill_row(i, row, sh, bits_t, org, fmt, region, role, exp, sector, left_out,
                      avoid_org, mentoring, mix)  # fmt: skip
            _apply_exceptions(i, row, exc_ptr, exc_col, exc_forbid, exc_meet)
            # Vectorisable passes first: degree and the two best base scores.
            deg = 0
            b1, b2 = low, low
            for j in range(n):
                if row[j] != NEG:
                    deg += 1
            for j in range(n):
                b1 = max(b1, row[j])
            for j in range(n):
                if row[j] != NEG and row[j] < b1:
                    b2 = max(b2, row[j])
            if deg >= 2 and b2 == low:
                b2 = b1  # the best score is shared
            # Then only the few that could violate or reach the top two get jitter.
            thr = y[i] - rand
            m = 0
            for j in range(n):
                if row[j] != NEG and (row[j] - y[j] > thr or row[j] + rand >= b2):
                    buf[m] = j
                    m += 1
            count, slot = 0, 0
            worst = 0.0
            t1, t2 = low, low
            for r in range(m):
                j = buf[r]
                jit = _jitter(i, j, id_hash, seedk, rand) if rand > 0 else 0
                sc = row[j] + jit
                if sc > t1:
                    t1, t2 = sc, t1
                elif sc > t2:
                    t2 = sc
                v = row[j] + jit - y[i] - y[j]
                worst = max(worst, v)
                if v <= 1e-9:
                    continue
                if count < per:
                    bj[count], bv[count] = j, v
                    count += 1
                    if count == per:
                        slot = 0
                        for q in range(1, per):
                            if bv[q] < bv[slot]:
                                slot = q
                elif v > bv[slot]:
                    bj[slot], bv[slot] = j, v
                    for q in range(per):
                        if bv[q] < bv[slot]:
                            slot = q
            for r in range(count):
                out_idx[i, r] = bj[r]
                out_v[i, r] = bv[r]
            out_max[i] = worst
            out_deg[i] = deg
            out_top2[i] = t1 + t2 if deg >= 2 else low


def dual_violations(p: Problem, y: np.ndarray, per: int):
    """A full O(n^2) pricing pass over the allowed-pair graph with duals ``y``.

    Returns, per member: the ``per`` partners whose edge most exceeds y_i + y_j (-1 pads),
    the largest excess (0 if none), the number of allowed partners and the best two scores.
    """
    n = p.n
    idx = np.full((n, per), -1, np.int64)
    val = np.zeros((n, per), np.float64)
    worst = np.zeros(n, np.float64)
    deg = np.zeros(n, np.int64)
    top2 = np.zeros(n, np.int64)
    ptr, col, forbid, meet = _exception_rows(p)
    mix = {"any": 0, "mixed": 1, "same": 2}[p.sector_mix]
    _price(
        max(1, min(64, n // 64)), y.astype(np.float64), np.ascontiguousarray(p.interests.T),
        p.org, p.fmt, p.region, p.role, p.experience, p.sector, p.left_out.astype(np.int32),
        p.id_hash, seed_key(p.seed), np.int64(p.randomness), mix, p.avoid_same_organisation,
        p.mentoring, ptr, col, forbid, meet, idx, val, worst, deg, top2,
    )  # fmt: skip
    return idx, worst, deg, top2


@njit(cache=True)
def _spfa(indptr, indices, weights, source, dist):
    """Shortest distances from ``source`` (negative arcs, no negative cycles): queue-based
    Bellman-Ford, near-linear on the residual graph of an optimal assignment."""
    n = dist.shape[0]
    inq = np.zeros(n, np.bool_)
    queue = np.empty(n + 1, np.int64)
    head, tail, size = 0, 0, 0
    dist[:] = np.iinfo(np.int64).max
    dist[source] = 0
    queue[tail] = source
    tail = (tail + 1) % (n + 1)
    size += 1
    inq[source] = True
    while size > 0:
        v = queue[head]
        head = (head + 1) % (n + 1)
        size -= 1
        inq[v] = False
        for e in range(indptr[v], indptr[v + 1]):
            to = indices[e]
            nd = dist[v] + weights[e]
            if nd < dist[to]:
                dist[to] = nd
                if not inq[to]:
                    inq[to] = True
                    queue[tail] = to
                    tail = (tail + 1) % (n + 1)
                    size += 1


def shortest_distances(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, source: int):
    order = np.argsort(src, kind="stable")
    indptr = np.searchsorted(src[order], np.arange(n + 1)).astype(np.int64)
    dist = np.empty(n, np.int64)
    _spfa(indptr, dst[order].astype(np.int64), w[order].astype(np.int64), source, dist)
    return dist
