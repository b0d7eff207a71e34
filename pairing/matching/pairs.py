"""Pairs: a maximum-cardinality, maximum-score matching, plus at most one trio.

Up to ``EXACT_MAX`` members the matching is exact (rustworkx's blossom algorithm on the
full allowed-pair graph, ``max_cardinality=True`` because placing people beats points).
Above it: exact top-K candidates, assignment relaxation, rounding, blossom repair to
maximum cardinality, a certificate checked against the full graph, and 2-opt.

The trio rule: when a member is left over who is allowed with both members of some pair,
they join the pair that gains most. Whether *any* maximum matching admits a trio is
decided exactly from the Gallai-Edmonds structure (see ``trio.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import rustworkx as rx

from . import blossom, pricing, relax, scan
from .problem import Problem
from .scoring import dense
from .trio import add_trio

EXACT_MAX = 1000
CERTIFY_ROUNDS = 20
# Column generation: each round is one auction (seconds) and one O(n^2) pricing pass
# (~6.5 s at 100k); it stops once the bound's slack is below PRICE_STOP of the bound.
PRICE_ROUNDS = 6
PRICE_PER = 10
PRICE_STOP = 0.001
# Pricing adds what a short list misses; 16 rather than 8 saves a pricing round at 100k.
K_START = 16


@dataclass
class PairPlan:
    groups: list[list[int]]
    bound: int
    degree: np.ndarray


def solve_pairs(p: Problem, exact_max: int = EXACT_MAX) -> PairPlan:
    if p.n <= exact_max:
        return _exact(p)
    return _large(p)


def _exact(p: Problem) -> PairPlan:
    allowed, score = dense(p)
    iu, ju = np.nonzero(np.triu(allowed, 1))
    w = score[iu, ju]
    shift = 1 - int(w.min(initial=1)) if len(w) and w.min() <= 0 else 0
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(p.n))
    # A constant shift keeps weights positive and, at maximum cardinality, changes nothing.
    graph.add_edges_from(list(zip(iu.tolist(), ju.tolist(), (w + shift).tolist(), strict=True)))
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    mate = np.full(p.n, -1, np.int64)
    for a, b in matching:
        mate[a], mate[b] = b, a
    adjacency = [np.flatnonzero(row).tolist() for row in allowed]
    degree = allowed.sum(axis=1)
    top2 = _top2_dense(allowed, score)
    on = mate >= 0
    value = int(score[on.nonzero()[0], mate[on]].sum()) // 2

    # The matching is maximum, so these searches only build the Gallai-Edmonds forest.
    def forest() -> blossom.Forest:
        return blossom.maximum_matching(adjacency, mate.tolist())[1]

    groups, trio_extra_bound = add_trio(p, mate, adjacency, degree, top2, forest)
    bound = value + trio_extra_bound
    return PairPlan(groups, bound, degree)


def _top2_dense(allowed: np.ndarray, score: np.ndarray) -> np.ndarray:
    masked = np.where(allowed, score, np.iinfo(np.int64).min // 4)
    if masked.shape[1] < 2:
        return np.full(masked.shape[0], np.iinfo(np.int64).min // 4)
    part = -np.partition(-masked, 1, axis=1)[:, :2]
    return np.where(allowed.sum(axis=1) >= 2, part.sum(axis=1), np.iinfo(np.int64).min // 4)


def _large(p: Problem) -> PairPlan:
    idx, w, cnt, deg = scan.top_candidates(p, K_START)
    cand = relax.candidate_graph(p, idx, w, cnt, deg)
    sigma, bound = _priced_relaxation(p, cand)
    mate = relax.round_cycles(p, sigma)
    adjacency = _adjacency(p.n, cand)
    mate, found = _maximum(p, mate, adjacency, deg, shortcut=True)
    relax.two_opt(p, mate, cand)

    def forest() -> blossom.Forest | None:
        return found if found is not None else _maximum(p, mate, adjacency, deg, False)[1]

    groups, trio_extra_bound = add_trio(p, mate, adjacency, deg, cand.top2, forest)
    return PairPlan(groups, bound + trio_extra_bound, deg)


def _priced_relaxation(p: Problem, cand: relax.Candidates) -> tuple[np.ndarray, int]:
    """Column generation: solve on H, price all of G, add violators, until tight."""
    for done in range(1, PRICE_ROUNDS + 1):
        sigma, y = relax.assignment(p.n, cand)
        extra, score, worst = pricing.dual_violations(p, y, PRICE_PER)
        # Half the worst violation at each end covers every edge of G: a valid dual. The
        # duals are floats: a margin far above their rounding keeps the floor a bound.
        slack = math.fsum(worst) / 2
        bound = math.floor(math.fsum(y) + slack + 1e-3)
        relax.add_edges(cand, extra, score)  # also after the last pass: 2-opt can use them
        if done == PRICE_ROUNDS or slack <= PRICE_STOP * max(bound, 1):
            return sigma, bound
    raise AssertionError("unreachable")


def _adjacency(n: int, cand: relax.Candidates) -> list[list[int]]:
    """Best-first neighbour lists of the candidate graph."""
    order = np.lexsort((-np.concatenate([cand.w, cand.w]),))
    src = np.concatenate([cand.u, cand.v])[order]
    dst = np.concatenate([cand.v, cand.u])[order]
    by_src = np.argsort(src, kind="stable")
    src, dst = src[by_src], dst[by_src]
    bounds = np.searchsorted(src, np.arange(n + 1))
    flat = dst.tolist()
    return [flat[bounds[i] : bounds[i + 1]] for i in range(n)]


def _maximum(
    p: Problem, mate: np.ndarray, adjacency: list[list[int]], deg: np.ndarray, shortcut: bool
) -> tuple[np.ndarray, blossom.Forest | None]:
    """Repair to maximum cardinality on H, then prove it on G (adding missed edges)."""
    mate_list = mate.tolist()
    blossom.greedy_fill(adjacency, mate_list)
    for _ in range(CERTIFY_ROUNDS):
        exposed = sum(1 for v, m in enumerate(mate_list) if m == -1 and deg[v] > 0)
        if exposed <= 1 and shortcut:
            # One member with partners left over cannot be improved on: no forest needed.
            return np.array(mate_list, np.int64), None
        mate_list, forest = blossom.maximum_matching(adjacency, mate_list)
        outer = forest.outer()
        partial = outer[deg[outer] > np.array([len(adjacency[v]) for v in outer], np.int64)]
        missed = scan.forest_violations(p, partial, forest.tree, forest.label, forest.base)
        rows, cols = np.nonzero(missed >= 0)
        if len(rows) == 0:
            return np.array(mate_list, np.int64), forest
        for a, b in zip(partial[rows].tolist(), missed[rows, cols].tolist(), strict=True):
            adjacency[a].append(b)
            adjacency[b].append(a)
    raise RuntimeError("maximum-cardinality certificate did not converge")
