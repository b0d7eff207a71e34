"""Large rounds: candidate graph, assignment relaxation (the bound), rounding and 2-opt.

The candidate graph H starts from each member's exact top-K partners. The assignment
relaxation on H gives a starting matching and LP duals y (y_i + y_j >= score on H, y >= 0).
A full pricing pass then finds the edges of G that violate the duals most; they join H and
the relaxation is solved again (column generation). After the last pass, raising each y_i
by half its worst violation makes y feasible for all of G, so sum(y) is a proven upper
bound on every matching of G (LP duality), and the added edges are exactly the ones the
matching was missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import auction
from .problem import Problem
from .scoring import pair_allowed, pair_score


@dataclass
class Candidates:
    """Undirected candidate edges u < v with scores, plus per-member scan facts."""

    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    top2: np.ndarray  # best two scores of each member (for the trio allowance)
    degree: np.ndarray  # allowed partners in the full graph
    price: np.ndarray | None = None  # the last assignment's prices (its warm start)


def candidate_graph(p: Problem, idx: np.ndarray, w: np.ndarray, cnt: np.ndarray,
                    deg: np.ndarray) -> Candidates:  # fmt: skip
    n, k = idx.shape
    rows = np.repeat(np.arange(n), k)
    keep = (np.arange(k)[None, :] < cnt[:, None]).ravel()
    a, b, s = rows[keep], idx.ravel()[keep], w.ravel()[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keys, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    u, v = np.divmod(keys, n)
    top2 = np.where(cnt >= 2, w[:, 0] + w[:, min(1, k - 1)], np.iinfo(np.int64).min // 4)
    return Candidates(u, v, s[first], top2, deg)


def assignment(n: int, c: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """Max-weight assignment on H (diagonal = unmatched, worth 0): partners and duals y
    (y_i + y_j >= w_ij on H, y >= 0, sum y within n/200 of half the optimum on H).

    Solved by auction, warm-started from the previous round's prices (``auction.py``).
    """
    sigma, y, c.price = auction.solve(n, c.u, c.v, c.w, c.price)
    return sigma, y


def add_edges(c: Candidates, extra: np.ndarray, score: np.ndarray) -> int:
    """Add the priced edges (rows of partner indices, -1 padded, and their scores) to H;
    return how many were new."""
    n = len(c.degree)
    a = np.repeat(np.arange(n), extra.shape[1])
    b = extra.ravel()
    keep = b >= 0
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    keys, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    new = ~np.isin(keys, c.u * n + c.v, assume_unique=True)
    merged = np.concatenate([c.u * n + c.v, keys[new]])
    order = np.argsort(merged, kind="stable")
    c.u, c.v = np.divmod(merged[order], n)
    c.w = np.concatenate([c.w, score.ravel()[keep][first][new]])[order]
    return int(new.sum())


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


def two_opt(p: Problem, mate: np.ndarray, c: Candidates, rounds: int = 12) -> None:
    """Swap partners along candidate edges while it pays; the placed set never shrinks."""
    a = np.concatenate([c.u, c.v])
    x = np.concatenate([c.v, c.u])
    w_ax = np.concatenate([c.w, c.w])
    best = np.full(len(mate), -(10**9), np.int64)
    np.maximum.at(best, a, w_ax)  # includes each member's exact top-1
    for _ in range(rounds):
        pw = _partner_scores(p, mate)
        b, d = mate[a], mate[x]
        # Only moves that could gain even if b and d were a perfect pair are scored.
        w_old = pw[a] + np.where(d >= 0, pw[x], 0)
        live = np.flatnonzero((b != x) & (b >= 0) & (w_ax + np.maximum(best[b], 0) > w_old))
        aa, xx, bb, dd = a[live], x[live], b[live], d[live]
        both = dd >= 0
        ok_bd = np.where(both, pair_allowed(p, bb, np.maximum(dd, 0)), True)
        w_bd = np.where(both, pair_score(p, bb, np.maximum(dd, 0)), 0)
        # With x exposed (d = -1) the move hands a to x and leaves b out instead.
        gain = np.where(ok_bd, w_ax[live] + w_bd - w_old[live], -1)
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
