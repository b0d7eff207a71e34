"""Exact groups for small rounds: most members placed, then the best score for that many.

1. Placement bound: the placement relaxation (cliques worth their size, at most k - 1
   of size k + 1) by column generation; no grouping of the size rule's first branch
   places more than its floor (the second branch only allows small counts).
2. From that count down, over the counts the size rule allows: fix the number of groups
   of each size the rule gives for that count, and solve the score relaxation by column
   generation (``colgen``). If even the relaxation cannot meet the counts, that count is
   impossible. Otherwise a tabu search looks for a grouping of those sizes (``group_fit``,
   annealed for score: the first incumbent); if there is none, or it is more than
   ``DIVE_GAP`` under the relaxation, a dive on the relaxation looks for another
   (``group_dive``: at k = 7, N = 80 the local search stalled at 95-96 % of the bound on
   three benchmark cohorts, the dive reached 98.5-99.4 %). Subset-row cuts tighten the
   relaxation and reduced-cost enumeration finds the optimum (``close_gap``, searching
   the enumerated cliques with ``cover``), or, when it runs out of time, a lower bound
   than the relaxation's. If no grouping turns up
   for that count, the placement relaxation with subset-row cuts may still prove the
   count impossible (``rule_out``).

The first count with a grouping is the most that can be placed, unless a count above it
had a feasible relaxation but no grouping was found (seen on the benchmark at k = 7,
N = 80): then the answer is not proven and the bound covers those counts too.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from .colgen import Master, clique_value
from .group_anneal import anneal
from .group_dive import dive
from .group_fit import fit_sizes
from .group_sizes import composition, feasible_counts

CUT_ROUNDS = 8  # separation rounds on the score relaxation
CANDIDATES = 24
# The dive (``group_dive``) runs when the local search's grouping is more than DIVE_GAP
# points under the relaxation, for DIVE_SECONDS at most.
DIVE_GAP = 2.0
DIVE_SECONDS = 5.0


@dataclass
class Exact:
    groups: list[list[int]]
    objective: int
    bound: float  # may be inf when a relaxation could not be priced in time
    proven: bool
    placed_bound: int


def exact_groups(
    allowed: np.ndarray,
    score: np.ndarray,
    k: int,
    seeds: list[list[int]],
    seconds: float,
    good_enough: float | None = None,
) -> Exact:
    """Optimal groups over the dense ``allowed``/``score`` matrices (see module docstring).

    ``seeds``: groups found by a heuristic, used as first columns. ``good_enough``: a
    share of the bound at which a grouping is kept when proving it would take a large
    search (see ``Master.close_gap``). Raises ``colgen.SolverFailed`` if HiGHS fails on a
    relaxation.
    """
    deadline = time.monotonic() + seconds
    n = len(allowed)
    sizes = [s for s in (k - 1, k, k + 1) if s >= 2]
    w = np.where(allowed, score, 0).astype(np.float64)
    # Each member's best partners, where the annealing looks for swaps first.
    cand = np.argsort(-np.where(allowed, w, -np.inf), axis=1, kind="stable")[:, :CANDIDATES]
    cnt = np.minimum(allowed.sum(axis=1), CANDIDATES)
    # Counts in the rule's first branch (sizes k and k + 1, at most k - 1 of k + 1) are
    # bounded by a relaxation; the second branch (some k - 1, fewer groups than
    # leftovers) only holds small counts, tried one by one.
    place = Master(allowed, w, sizes, {k: n // k, k + 1: k - 1}, placement=True)
    place.seed(seeds)
    rel = place.relax(deadline)
    limit = math.floor(rel.bound + 1e-6) if math.isfinite(rel.bound) else n
    second = [c for c in feasible_counts(n, k) if composition(c, k).get(k - 1)]
    limit = min(max([limit, *second[:1]]), n)
    open_bounds: list[float] = []  # counts above the answer that were not ruled out
    for placed in feasible_counts(limit, k):
        if time.monotonic() > deadline:
            open_bounds.append(math.inf)
            break
        counts = composition(placed, k)
        fits = Master(allowed, w, sizes, counts, placement=True)
        fits.seed(seeds)
        fits.pool.add(m for m in place.pool.members if len(m) in fits.sizes)
        if fits.relax(deadline, stop_below=placed - 1e-6).bound < placed - 1e-6:
            continue  # not even fractionally: that many cannot be placed
        # A grouping of these sizes by local search, annealed for score: the enumeration
        # then only looks for a better one (``group_fit``; without it, the MILPs that look
        # for a first grouping can run out of time before finding any).
        first = fit_sizes(allowed, counts)
        if first is not None:
            first = anneal(w, allowed, first, cand, cnt, 0)
        master = Master(allowed, w, sizes, counts, placement=False)
        master.seed(seeds + (first or []))
        master.pool.add(m for m in fits.pool.members if len(m) in master.sizes)
        rel = master.relax(deadline)
        if rel.converged and rel.artificial > 1e-6:
            continue  # the score relaxation agrees (a safety check)
        incumbent = (first, _worth(w, first)) if first else None
        if incumbent is None or rel.bound - incumbent[1] > DIVE_GAP:
            # The relaxation's own grouping, when the local search's is far from it
            # (``group_dive``); annealed again, the better of the two is kept.
            stop = min(deadline, time.monotonic() + DIVE_SECONDS)
            dived = dive(allowed, w, master.sizes, counts, master.pool.members, stop)
            if dived is not None:
                dived = anneal(w, allowed, dived, cand, cnt, 0)
                if incumbent is None or _worth(w, dived) > incumbent[1]:
                    incumbent = (dived, _worth(w, dived))
        rel = master.tighten(rel, deadline, CUT_ROUNDS, incumbent[1] if incumbent else -math.inf)
        groups, value, proven, bound = master.close_gap(rel, deadline, incumbent, good_enough)
        if groups is None:
            # None found among the columns tried: subset-row cuts may show that none exists.
            if not proven and not fits.rule_out(placed, deadline):
                open_bounds.append(_floor(bound))  # the bound covers this count
            continue
        own = value if proven else _floor(bound)
        return Exact(groups, value, max([own, *open_bounds]), proven and not open_bounds, limit)
    return Exact([], 0, max([0, *open_bounds]), not open_bounds, limit)


def _worth(w: np.ndarray, groups: list[list[int]]) -> int:
    return round(sum(clique_value(w, tuple(sorted(g))) for g in groups))


def _floor(bound: float) -> float:
    return math.floor(bound + 1e-6) if math.isfinite(bound) else bound
