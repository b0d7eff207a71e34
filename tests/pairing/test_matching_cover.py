"""The best grouping over a pool of cliques (``cover``), against brute force.

The search prunes with a relaxation's duals, so each case builds duals that are valid for
its pool (rho_s the best clique of size s net of its duals) and checks the answer against
every selection of disjoint cliques with the wanted counts.
"""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.matching.colgen import Master, Relaxation, clique_value
from pairing.matching.cover import best_grouping


def _pool(rng: random.Random, n: int, sizes: list[int], density: float):
    """Allowed graph, integer pair scores, and every allowed clique of ``sizes``."""
    adj = np.zeros((n, n), bool)
    w = np.zeros((n, n))
    for a, b in itertools.combinations(range(n), 2):
        if rng.random() < density:
            adj[a, b] = adj[b, a] = True
            w[a, b] = w[b, a] = rng.randint(-3, 12)
    cols = [
        c
        for s in sizes
        for c in itertools.combinations(range(n), s)
        if all(adj[a, b] for a, b in itertools.combinations(c, 2))
    ]
    return adj, w, cols


def _duals(rng: random.Random, n: int, w, cols, counts: dict[int, int], cut_count: int):
    """Random y >= 0 and subset-row cut duals, with rho_s and L made valid for ``cols``."""
    y = np.array([rng.choice([0.0, rng.uniform(0, 6)]) for _ in range(n)])
    cuts = np.array([sorted(rng.sample(range(n), 3)) for _ in range(cut_count)], np.int64)
    cuts = cuts.reshape(-1, 3)
    sigma = np.array([rng.uniform(0, 4) for _ in range(len(cuts))])

    def net(c):
        hit = sum(s for t, s in zip(cuts.tolist(), sigma, strict=True) if len(set(t) & set(c)) >= 2)
        return clique_value(w, c) - y[list(c)].sum() - hit

    rho = {s: max((net(c) for c in cols if len(c) == s), default=-1e9) for s in counts}
    bound = float(y.sum() + sigma.sum() + sum(counts[s] * rho[s] for s in counts))
    return Relaxation(bound, y, {}, bound, rho, 0.0, True, sigma, cuts)


def _brute(cols, scores, counts: dict[int, int]) -> float:
    """The best total score of disjoint columns with exactly ``counts`` of each size."""
    best = -math.inf

    def walk(start, used, left, total):
        nonlocal best
        if not any(left.values()):
            best = max(best, total)
            return
        for j in range(start, len(cols)):
            c = cols[j]
            if left.get(len(c), 0) and used.isdisjoint(c):
                left[len(c)] -= 1
                walk(j + 1, used | set(c), left, total + scores[j])
                left[len(c)] += 1

    walk(0, frozenset(), dict(counts), 0.0)
    return best


def _check(groups, value, cols, scores, counts):
    members = [v for g in groups for v in g]
    assert len(members) == len(set(members))  # disjoint
    assert {s: sum(len(g) == s for g in groups) for s in counts} == counts
    by_members = dict(zip(cols, scores, strict=True))
    assert all(tuple(g) in by_members for g in groups)  # only the pool's cliques
    assert value == round(sum(by_members[tuple(g)] for g in groups))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(5, 11),
    k=st.sampled_from([2, 3]),
    density=st.floats(0.5, 1.0),
    cut_count=st.integers(0, 6),
)
def test_the_search_finds_the_brute_force_best_with_any_valid_duals(seed, n, k, density, cut_count):
    rng = random.Random(seed)
    sizes = [k, k + 1]
    _, w, cols = _pool(rng, n, sizes, density)
    counts = {k: rng.randint(0, n // k), k + 1: rng.randint(0, 1)}
    while sum(s * c for s, c in counts.items()) > n:
        counts[k] -= 1
    counts = {s: c for s, c in counts.items() if c}
    if not counts:
        counts = {k: 1}
    rel = _duals(rng, n, w, cols, counts, cut_count)
    scores = [clique_value(w, c) for c in cols]
    best = _brute(cols, scores, counts)

    groups, value, complete = best_grouping(cols, scores, counts, rel, -math.inf, 60.0)
    assert complete
    if best == -math.inf:
        assert groups is None
        return
    _check(groups, value, cols, scores, counts)
    assert value == round(best)
    # Asked for better than the optimum: none, and the search says it looked everywhere.
    assert best_grouping(cols, scores, counts, rel, best, 60.0) == (None, -math.inf, True)
    # Asked for better than one point under it: the optimum again.
    assert best_grouping(cols, scores, counts, rel, best - 1, 60.0)[1] == round(best)


def test_a_search_stopped_early_never_says_it_looked_everywhere():
    rng = random.Random(3)
    _, w, cols = _pool(rng, 12, [3, 4], 0.9)
    counts = {3: 4}
    rel = _duals(rng, 12, w, cols, counts, 0)
    scores = [clique_value(w, c) for c in cols]
    full = best_grouping(cols, scores, counts, rel, -math.inf, 60.0)
    assert full[2] and full[1] == round(_brute(cols, scores, counts))
    groups, value, complete = best_grouping(cols, scores, counts, rel, -math.inf, 60.0, 3)
    assert not complete
    assert groups is None or value <= full[1]


def test_close_gap_reaches_the_optimum_from_a_poor_incumbent():
    """The reduced-cost enumeration and the search together: from the worst grouping of
    the counts, close_gap returns the brute-force optimum, proven."""
    rng = random.Random(11)
    n, k = 11, 3
    adj, w, cols = _pool(rng, n, [k, k + 1], 0.85)
    counts = {3: 1, 4: 2}
    scores = [clique_value(w, c) for c in cols]
    best = _brute(cols, scores, counts)
    worst = -_brute(cols, [-s for s in scores], counts)
    assert worst < best - 1  # a real gap to close

    def worst_groups():
        for pick in itertools.combinations(range(len(cols)), 3):
            chosen = [cols[j] for j in pick]
            sizes = sorted(len(c) for c in chosen)
            flat = [v for c in chosen for v in c]
            worth = sum(scores[j] for j in pick)
            if sizes == [3, 4, 4] and len(set(flat)) == len(flat) and worth == worst:
                return [list(c) for c in chosen]
        raise AssertionError

    master = Master(adj, w, [k, k + 1], counts, placement=False)
    rel = master.relax(math.inf)
    groups, value, proven, bound = master.close_gap(rel, math.inf, (worst_groups(), worst))
    assert proven
    assert value == round(best) == bound
    _check(groups, value, cols, scores, counts)
