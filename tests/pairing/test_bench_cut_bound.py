"""``bench/cut_bound.py`` (the pair LP with triangle and star cuts, measured for the
README and not adopted): every round's bound holds over the proven optimum, whatever
round it stopped at, and the cuts lower it below the plain pair LP's first bound."""

from __future__ import annotations

import random

import pytest

from bench.cut_bound import cut_bound
from pairing.matching import solve
from tests.pairing.test_matching_group_exact import big_org_cohort, cohort


def _bounds(prob: dict, rounds: int) -> list[float]:
    """Each round's bound, in order."""
    bounds: list[float] = []
    cut_bound(prob, rounds, report=lambda _n, bound, *_rest: bounds.append(bound))
    return bounds


@pytest.mark.parametrize("k", [4, 5, 7])
def test_each_rounds_bound_is_never_below_the_proven_optimum(k):
    for seed in range(2):
        prob = cohort(random.Random(70 * k + seed), 24, k, seed=seed)
        exact = solve(prob)
        assert exact["objective"] == exact["bound"]  # proven optimal
        bounds = _bounds(prob, 8)

        assert bounds and min(bounds) >= exact["objective"] - 1e-6


def test_the_cuts_tighten_the_pair_lp_on_a_big_organisation():
    prob = big_org_cohort(random.Random(11), 30, 4, seed=1)
    exact = solve(prob)

    bounds = _bounds(prob, 10)

    assert bounds[-1] < bounds[0]  # the cuts bite
    assert min(bounds) >= exact["objective"] - 1e-6
    assert cut_bound(prob, 10, stars=False) >= min(bounds) - 1e-6  # stars only add
