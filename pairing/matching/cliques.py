"""Compiled branch and bound over the cliques of one size of a small dense graph.

Used by the exact group solver (``colgen``) for pricing and for enumeration. A clique C of
size s is worth ``sum of w over its pairs - sum of y over its members``. ``search`` finds
either the best ``cap`` cliques worth more than ``theta`` (pricing: the threshold rises as
the buffer fills, so the best one found is the true maximum) or every clique worth more
than ``theta`` (enumeration; it stops and says so past ``cap``).

The bound at a node with clique Q and r members still to add: each candidate v adds its
gain (its pairs with Q, minus y_v) plus, at most, half its best r - 1 positive pair scores
(the pairs among the additions, each counted from both ends); the bound is Q's worth plus
the best r of those sums.
"""

from __future__ import annotations

import numpy as np
from numba import njit

FULL, INCOMPLETE = 1, 2


@njit(inline="always", cache=True)
def keep_largest(best, x):
    """Insert x into ``best`` (the largest values seen, in decreasing order) if it is
    larger than the last; the last drops out."""
    r = len(best)
    if x > best[r - 1]:
        q = r - 1
        while q > 0 and best[q - 1] < x:
            best[q] = best[q - 1]
            q -= 1
        best[q] = x


@njit(cache=True)
def top_sum(values, r):
    """Sum of the r largest entries of ``values`` (len >= r)."""
    best = np.full(r, -np.inf)
    for x in values:
        keep_largest(best, x)
    return best.sum()


@njit(cache=True)
def _record(members, value, out, vals, count, cap, keep_best, theta):
    """Store one clique; returns (count, theta, overflowed)."""
    if count < cap:
        out[count, :] = members
        vals[count] = value
        count += 1
        if keep_best and count == cap:
            theta = max(theta, vals.min())
        return count, theta, False
    if not keep_best:
        return count, theta, True
    worst = np.argmin(vals)
    out[worst, :] = members
    vals[worst] = value
    return count, max(theta, vals.min()), False


@njit(cache=True)
def _penalty(chosen, s, in_cut, sigma):
    """Sum of the cut duals sigma_T over the cuts T holding two or more of the first s of
    ``chosen`` (it only grows as members are added)."""
    total = 0.0
    for t in range(len(sigma)):
        hits = 0
        for q in range(s):
            hits += in_cut[chosen[q], t]
        if hits >= 2:
            total += sigma[t]
    return total


@njit(cache=True)
def _search(adj, w, y, top, s, theta, cap, keep_best, node_limit, out, vals, in_cut, sigma):
    n = adj.shape[0]
    cand = np.empty((s + 1, n), np.int64)
    ncand = np.zeros(s + 1, np.int64)
    pos = np.zeros(s + 1, np.int64)
    gain = np.empty((s + 1, n), np.float64)
    worth = np.zeros(s + 1, np.float64)
    chosen = np.empty(s, np.int64)
    scratch = np.empty(n, np.float64)
    for v in range(n):
        cand[0, v] = v
        gain[0, v] = -y[v]
    ncand[0] = n
    count, nodes, status = 0, 0, FULL
    d = 0
    while d >= 0:
        r = s - d
        i = pos[d]
        if i >= ncand[d] or ncand[d] - i < r:
            d -= 1
            continue
        pos[d] = i + 1
        v = cand[d, i]
        here = worth[d] + gain[d, v]
        chosen[d] = v
        if r == 1:
            if here > theta and len(sigma):
                here -= _penalty(chosen, s, in_cut, sigma)
            if here > theta:
                count, theta, over = _record(chosen, here, out, vals, count, cap, keep_best, theta)
                if over:
                    return count, INCOMPLETE
            continue
        nodes += 1
        if nodes > node_limit:
            return count, INCOMPLETE
        m = 0
        for q in range(i + 1, ncand[d]):
            u = cand[d, q]
            if adj[v, u]:
                cand[d + 1, m] = u
                gain[d + 1, u] = gain[d, u] + w[v, u]
                scratch[m] = gain[d + 1, u] + top[u, r - 2]
                m += 1
        if m < r - 1:
            continue
        # Cuts that the partial clique already hits twice are paid by every completion.
        paid = _penalty(chosen, d + 1, in_cut, sigma) if len(sigma) and d >= 1 else 0.0
        if here - paid + top_sum(scratch[:m], r - 1) <= theta:
            continue
        ncand[d + 1] = m
        worth[d + 1] = here
        pos[d + 1] = 0
        d += 1
    return count, status


def half_top(w: np.ndarray, s: int) -> np.ndarray:
    """top[v, t]: half the sum of v's t largest positive pair scores, t = 0..s - 1."""
    positive = -np.sort(-np.maximum(w, 0.0), axis=1)[:, : max(s - 1, 0)]
    top = np.zeros((len(w), s), np.float64)
    top[:, 1:] = 0.5 * np.cumsum(positive, axis=1)[:, : s - 1]
    return top


def search(adj: np.ndarray, w: np.ndarray, y: np.ndarray, s: int, theta: float, cap: int,
           keep_best: bool, node_limit: int = 50_000_000, cuts: np.ndarray | None = None,
           sigma: np.ndarray | None = None):  # fmt: skip
    """Cliques of size ``s`` worth more than ``theta``: (members rows, worths, complete).

    ``cuts`` (rows of three members) and ``sigma`` (their duals, >= 0): a clique holding
    two or more members of a cut is worth sigma less (subset-row cuts); the bound charges
    only the cuts a partial clique already hits twice, so it stays an upper bound.

    ``keep_best``: the best ``cap`` of them (complete unless the node limit was hit);
    otherwise all of them (complete unless there were more than ``cap``). Members are
    returned sorted in each row; rows in order of decreasing worth.
    """
    n = len(adj)
    if s > n or s < 1:
        return np.zeros((0, s), np.int64), np.zeros(0), True
    top = half_top(w, s)
    # Most promising members first, so a pricing buffer fills with good cliques early.
    order = np.argsort(-(top[:, s - 1] - y), kind="stable")
    a = np.ascontiguousarray(adj[np.ix_(order, order)])
    ww = np.ascontiguousarray(w[np.ix_(order, order)], dtype=np.float64)
    out = np.empty((cap, s), np.int64)
    vals = np.empty(cap, np.float64)
    live = np.zeros(0, np.int64) if sigma is None else np.flatnonzero(sigma > 0)
    in_cut = np.zeros((n, len(live)), np.int64)
    if len(live):
        rank = np.empty(n, np.int64)
        rank[order] = np.arange(n)
        for t, row in enumerate(np.asarray(cuts)[live]):
            in_cut[rank[row], t] = 1
    cut_duals = np.ascontiguousarray(np.zeros(0) if sigma is None else sigma[live], np.float64)
    count, status = _search(a, ww, np.ascontiguousarray(y[order], dtype=np.float64),
                            top[order], s, float(theta), cap, keep_best, node_limit, out,
                            vals, in_cut, cut_duals)  # fmt: skip
    members = np.sort(order[out[:count]], axis=1)
    worths = vals[:count]
    rank = np.argsort(-worths, kind="stable")
    return members[rank], worths[rank], status == FULL
