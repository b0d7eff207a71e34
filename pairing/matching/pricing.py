"""Compiled pricing pass for the priced assignment relaxation.

``dual_violations`` is one O(n^2) pass over every allowed pair (same kernels as the
candidate scan in ``scan.py``): it finds the pairs that most exceed the current duals,
which is both the column-generation step and, after the last pass, the proof that the
bound covers every pair of the full graph.
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
    avoid_org, mentoring, exc_ptr, exc_col, exc_forbid, exc_meet, out_idx, out_w, out_max,
):  # fmt: skip
    """Per row: the worst dual violations (top ``per``, with their scores) and the largest
    one. Jitter is only computed where it could make a violation."""
    n = org.shape[0]
    per = out_idx.shape[1]
    for c in prange((n + chunk - 1) // chunk):
        row = np.empty(n, np.int32)
        sh = np.empty(n, np.int32)
        bj = np.empty(per, np.int64)
        bv = np.empty(per, np.float64)
        bw = np.empty(per, np.int64)
        buf = np.empty(n, np.int64)
        for i in range(c * chunk, min(n, (c + 1) * chunk)):
            _fill_row(i, row, sh, bits_t, org, fmt, region, role, exp, sector, left_out,
                      avoid_org, mentoring, mix)  # fmt: skip
            _apply_exceptions(i, row, exc_ptr, exc_col, exc_forbid, exc_meet)
            thr = y[i] - rand
            m = 0
            for j in range(n):
                if row[j] != NEG and row[j] - y[j] > thr:
                    buf[m] = j
                    m += 1
            count, slot = 0, 0
            worst = 0.0
            for r in range(m):
                j = buf[r]
                sc = row[j] + (_jitter(i, j, id_hash, seedk, rand) if rand > 0 else 0)
                v = sc - y[i] - y[j]
                worst = max(worst, v)
                if v <= 1e-9:
                    continue
                if count < per:
                    bj[count], bv[count], bw[count] = j, v, sc
                    count += 1
                    if count == per:
                        slot = 0
                        for q in range(1, per):
                            if bv[q] < bv[slot]:
                                slot = q
                elif v > bv[slot]:
                    bj[slot], bv[slot], bw[slot] = j, v, sc
                    for q in range(per):
                        if bv[q] < bv[slot]:
                            slot = q
            for r in range(count):
                out_idx[i, r] = bj[r]
                out_w[i, r] = bw[r]
            out_max[i] = worst


def dual_violations(p: Problem, y: np.ndarray, per: int):
    """A full O(n^2) pricing pass over the allowed-pair graph with duals ``y``.

    Returns, per member: the ``per`` partners whose edge most exceeds y_i + y_j (-1 pads)
    with their scores, and the largest excess (0 if none).
    """
    n = p.n
    idx = np.full((n, per), -1, np.int64)
    score = np.zeros((n, per), np.int64)
    worst = np.zeros(n, np.float64)
    ptr, col, forbid, meet = _exception_rows(p)
    mix = {"any": 0, "mixed": 1, "same": 2}[p.sector_mix]
    _price(
        max(1, min(64, n // 64)), y.astype(np.float64), np.ascontiguousarray(p.interests.T),
        p.org, p.fmt, p.region, p.role, p.experience, p.sector, p.left_out.astype(np.int32),
        p.id_hash, seed_key(p.seed), np.int64(p.randomness), mix, p.avoid_same_organisation,
        p.mentoring, ptr, col, forbid, meet, idx, score, worst,
    )  # fmt: skip
    return idx, score, worst
