"""Large rounds: candidate graph, assignment relaxation (the bound), rounding and 2-opt.

The candidate graph H keeps each member's exact top-K partners. The assignment relaxation
on H gives both a starting matching and a *proof* for the full graph G: each member may
also "sit out" for d_i = max(0, its K-th best score). An edge of G missing from H is in
neither endpoint's top-K, so its score is at most min(d_i, d_j) <= (d_i + d_j) / 2; hence
any matching of G maps to an assignment worth at least twice its score, and half the
relaxation optimum bounds every matching of G, not only those inside H.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .problem import Problem
from .scoring import pair_allowed, pair_score


@dataclass
class Candidates:
    """Undirected candidate edges u < v with scores, plus per-member scan facts."""

    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    sit_out: np.ndarray  # d_i: what a member may claim alone in the relaxation
    top2: np.ndarray  # best two scores of each member (for the trio allowance)
    degree: np.ndarray  # allowed partners in the full graph


def candidate_graph(p: Problem, idx: np.ndarray, w: np.ndarray, cnt: np.ndarray,
                    deg: np.ndarray) -> Candidates:  # fmt: skip
    n, k = idx.shape
    rows = np.repeat(np.arange(n), k)
    keep = (np.arange(k)[None, :] < cnt[:, None]).ravel()
    a, b, s = rows[keep], idx.ravel()[keep], w.ravel()[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keys, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    u, v = np.divmod(keys, n)
    excluded = deg > cnt
    kth = w[np.arange(n), np.maximum(cnt - 1, 0)]
    sit_out = np.where(excluded, np.maximum(kth, 0), 0)
    top2 = np.where(cnt >= 2, w[:, 0] + w[:, min(1, k - 1)], np.iinfo(np.int64).min // 4)
    return Candidates(u, v, s[first], sit_out, top2, deg)


def assignment(n: int, c: Candidates) -> tuple[np.ndarray, int]:
    """Max-weight assignment on H plus sit-out diagonal: (partner per member, value)."""
    if n == 0:
        return np.zeros(0, np.int64), 0
    big = int(max(c.w.max(initial=0), c.sit_out.max(initial=0))) + 1
    rows = np.concatenate([c.u, c.v, np.arange(n)])
    cols = np.concatenate([c.v, c.u, np.arange(n)])
    vals = np.concatenate([c.w, c.w, c.sit_out])
    # Costs big - value are >= 1: explicit zeros would read as missing edges.
    cost = csr_matrix(((big - vals).astype(np.float64), (rows, cols)), shape=(n, n))
    row_ind, col_ind = min_weight_full_bipartite_matching(cost)
    sigma = np.empty(n, np.int64)
    sigma[row_ind] = col_ind
    total = cost[row_ind, col_ind].sum()
    return sigma, int(round(n * big - total))


def round_cycles(p: Problem, sigma: np.ndarray) -> np.ndarray:
    """Turn the permutation into a matching: 2-cycles as they are, longer cycles split."""
    n = len(sigma)
    mate = np.full(n, -1, np.int64)
    seen = np.zeros(n, np.bool_)
    for start in range(n):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        x = sigma[start]
        while x != start:
            cycle.append(x)
            seen[x] = True
            x = sigma[x]
        if len(cycle) >= 2:
            _split_cycle(p, np.array(cycle), mate)
    return mate


def _split_cycle(p: Problem, cyc: np.ndarray, mate: np.ndarray) -> None:
    """Best alternate-edge matching of a cycle (for odd cycles, leave the best one out)."""
    length = len(cyc)
    if length == 2:
        mate[cyc[0]], mate[cyc[1]] = cyc[1], cyc[0]
        return
    nxt = np.roll(cyc, -1)
    ew = np.where(pair_allowed(p, cyc, nxt), pair_score(p, cyc, nxt), -(10**9))
    best, best_pairs = None, None
    starts = range(length) if length % 2 else range(2)
    for s in starts:
        # Edges s, s+2, ... (length // 2 of them) skip vertex s-1 on odd cycles.
        picks = (s + 2 * np.arange(length // 2)) % length
        value = ew[picks].sum()
        if best is None or value > best:
            best, best_pairs = value, picks
    for e in best_pairs:
        if ew[e] > -(10**9):
            a, b = cyc[e], nxt[e]
            mate[a], mate[b] = b, a


def two_opt(p: Problem, mate: np.ndarray, c: Candidates, rounds: int = 30) -> None:
    """Swap partners along candidate edges while it pays; the placed set never shrinks."""
    a = np.concatenate([c.u, c.v])
    x = np.concatenate([c.v, c.u])
    for _ in range(rounds):
        pw = _partner_scores(p, mate)
        b, d = mate[a], mate[x]
        live = (b != x) & (b >= 0)
        aa, xx, bb, dd = a[live], x[live], b[live], d[live]
        w_ax = pair_score(p, aa, xx)
        both = dd >= 0
        ok_bd = np.where(both, pair_allowed(p, bb, np.maximum(dd, 0)), True)
        w_bd = np.where(both, pair_score(p, bb, np.maximum(dd, 0)), 0)
        # With x exposed (d = -1) the move hands a to x and leaves b out instead.
        w_old = pw[aa] + np.where(both, pw[xx], 0)
        gain = np.where(ok_bd, w_ax + w_bd - w_old, -1)
        good = np.flatnonzero(gain > 0)
        if len(good) == 0:
            return
        good = good[np.lexsort((good, -gain[good]))]
        if not _apply(mate, aa[good], xx[good], bb[good], dd[good]):
            return


def _apply(mate: np.ndarray, aa, xx, bb, dd) -> bool:
    used: set[int] = set()
    applied = False
    for a, x, b, d in zip(aa.tolist(), xx.tolist(), bb.tolist(), dd.tolist(), strict=True):
        group = (a, x, b, d) if d >= 0 else (a, x, b)
        if any(v in used for v in group) or mate[a] != b:
            continue
        used.update(group)
        mate[a], mate[x] = x, a
        if d >= 0:
            mate[b], mate[d] = d, b
        else:
            mate[b] = -1
        applied = True
    return applied


def _partner_scores(p: Problem, mate: np.ndarray) -> np.ndarray:
    pw = np.zeros(len(mate), np.int64)
    on = np.flatnonzero(mate >= 0)
    pw[on] = pair_score(p, on, mate[on])
    return pw
