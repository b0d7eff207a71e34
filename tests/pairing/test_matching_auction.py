"""The auction behind the large-round bound: an assignment, duals that hold on every edge,
and a value within n * epsilon / 2 of the optimum, cold or warm-started."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from pairing.matching import auction, solve
from tests.pairing.matching_helpers import random_problem


def random_edges(rng: random.Random, n: int, density: float):
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < density]
    u = np.array([a for a, _ in pairs], np.int64)
    v = np.array([b for _, b in pairs], np.int64)
    w = np.array([rng.choice([-6, 4, 10, 16, 16, 22, 28, 40]) for _ in pairs], np.int64)
    return u, v, w


def assignment_optimum(n: int, u, v, w) -> float:
    """Max-weight perfect assignment with the same arcs (own column worth 0), by scipy."""
    worth = np.full((n, n), -1e9)
    np.fill_diagonal(worth, 0)
    worth[u, v] = w
    worth[v, u] = w
    rows, cols = linear_sum_assignment(worth, maximize=True)
    return float(worth[rows, cols].sum())


def check(n, u, v, w, sigma, y):
    assert sorted(sigma.tolist()) == list(range(n))  # a permutation
    arcs = set(zip(u.tolist(), v.tolist(), strict=True)) | set(
        zip(v.tolist(), u.tolist(), strict=True)
    )
    assert all(j == i or (i, j) in arcs for i, j in enumerate(sigma.tolist()))
    assert (y >= -1e-9).all()
    assert (y[u] + y[v] >= w - 1e-9).all()  # dual feasible: a proven upper bound
    optimum = assignment_optimum(n, u, v, w)
    assert optimum / 2 - 1e-6 <= y.sum() <= optimum / 2 + n * auction.EPS_FINAL / 2 + 1e-6


@pytest.mark.parametrize("seed", range(12))
def test_auction_duals_bound_the_assignment_and_are_near_tight(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    u, v, w = random_edges(rng, n, rng.choice([0.05, 0.2, 0.6]))
    sigma, y, _ = auction.solve(n, u, v, w, None)
    check(n, u, v, w, sigma, y)


@pytest.mark.parametrize("seed", range(8))
def test_a_warm_start_after_new_edges_keeps_both_guarantees(seed):
    rng = random.Random(100 + seed)
    n = rng.randint(10, 60)
    u, v, w = random_edges(rng, n, 0.3)
    keep = np.array([rng.random() < 0.4 for _ in u], np.bool_)
    _, _, price = auction.solve(n, u[keep], v[keep], w[keep], None)
    sigma, y, _ = auction.solve(n, u, v, w, price)
    check(n, u, v, w, sigma, y)


def test_no_edges_means_everyone_keeps_their_own_column():
    sigma, y, _ = auction.solve(3, *(np.zeros(0, np.int64),) * 3, None)
    assert sigma.tolist() == [0, 1, 2]
    assert y.sum() <= 3 * auction.EPS_FINAL


@pytest.mark.parametrize("shape", ["typical", "dense_history", "mentoring"])
def test_large_pipeline_gives_the_same_round_twice(shape):
    prob = random_problem(random.Random(5), 150, shape, randomness=3, seed=9)
    first, second = solve(prob, exact_max=0), solve(prob, exact_max=0)
    first.pop("seconds")
    second.pop("seconds")
    assert first == second
