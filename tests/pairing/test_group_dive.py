"""The dive on the score relaxation (``group_dive``) and its use in the exact method: a
grouping found from the LP when the local search finds none or a poor one; and the bound
that each finished reduced-cost MILP lowers (``colgen.Master.close_gap``)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pairing.matching.group_exact as group_exact
from pairing.matching import solve
from pairing.matching.colgen import FIRST_REACH, Master, clique_value
from pairing.matching.group_dive import dive
from pairing.matching.group_sizes import composition
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense
from tests.pairing.matching_helpers import check_solution
from tests.pairing.test_group_fit import assert_valid, planted_counts
from tests.pairing.test_matching_group_exact import cohort


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), k=st.sampled_from([4, 5, 6, 7]), groups=st.integers(1, 6),
       spare=st.integers(0, 5), noise=st.sampled_from([0.3, 0.6, 0.9]),
       plant=st.booleans())  # fmt: skip
def test_a_dived_grouping_has_the_sizes_asked_for_and_stays_under_the_bound(
    seed, k, groups, spare, noise, plant
):
    rng = np.random.default_rng(seed)
    allowed, counts = planted_counts(rng, k, groups, spare, noise, plant)
    w = np.triu(rng.integers(0, 20, allowed.shape), 1).astype(np.float64)
    w = np.where(allowed, w + w.T, 0.0)
    sizes = [k - 1, k, k + 1]
    master = Master(allowed, w, sizes, counts, placement=False)
    rel = master.relax(float("inf"))
    found = dive(allowed, w, master.sizes, counts, master.pool.members, float("inf"))
    if found is not None:
        assert_valid(allowed, found, counts)
        value = sum(clique_value(w, tuple(sorted(g))) for g in found)
        assert value <= rel.bound + 1e-6  # no grouping is worth more than the relaxation
    if plant and noise == 0.9:
        assert found is not None  # many groupings fit: the dive finds one
    again = dive(allowed, w, master.sizes, counts, master.pool.members, float("inf"))
    assert again == found  # deterministic


def test_the_dive_places_everyone_when_the_local_search_and_every_milp_fail(monkeypatch):
    """Without a grouping from the local search, and with every MILP out of time, the
    counts the relaxation allows are still met, by the dive's grouping, and here at the
    optimum's score (without the dive: 30 placed of the 36 that can be, worth 1,302
    against 1,550)."""
    prob = cohort(random.Random(1), 40, 6, seed=1)
    exact = solve(prob)
    placed = sum(len(g["members"]) for g in exact["groups"])
    monkeypatch.setattr(group_exact, "fit_sizes", lambda allowed, counts: None)
    monkeypatch.setattr(
        Master, "integer", lambda self, seconds, columns=None: (None, float("-inf"), False)
    )
    sol = solve(prob)
    check_solution(prob, sol)
    assert sum(len(g["members"]) for g in sol["groups"]) == placed
    assert sol["objective"] == exact["objective"]
    assert sol["bound"] >= exact["objective"]


def _first_milp_only(monkeypatch):
    """Every MILP after the first reports running out of time (as at N = 80, where the
    wider reaches' MILPs do not finish)."""
    real, calls = Master.integer, []

    def first_only(self, seconds, columns=None):
        calls.append(1)
        if len(calls) == 1:
            return real(self, seconds, columns)
        return None, float("-inf"), False

    monkeypatch.setattr(Master, "integer", first_only)


@pytest.mark.parametrize(("n", "k", "seed"), [(30, 4, 1), (30, 4, 4), (40, 5, 2), (36, 6, 6)])
def test_a_milp_over_a_complete_reach_lowers_the_bound_never_below_the_optimum(
    n, k, seed, monkeypatch
):
    """A grouping worth L - reach or more holds only cliques within reach of rho: once the
    MILP over those has finished, the bound drops to the larger of its optimum and the
    largest whole number below L - reach (these cohorts' relaxations are 5-11 points over
    their optimum)."""
    prob = cohort(random.Random(seed), n, k, seed=seed)
    exact = solve(prob)
    placed = sum(len(g["members"]) for g in exact["groups"])
    p = parse_problem(prob)
    allowed, score = dense(p)
    w = np.where(allowed, score, 0).astype(np.float64)
    master = Master(allowed, w, [k - 1, k, k + 1], composition(placed, k), placement=False)
    rel = master.relax(float("inf"))
    _first_milp_only(monkeypatch)
    groups, value, proven, bound = master.close_gap(rel, float("inf"))
    assert not proven
    assert groups is None or round(sum(clique_value(w, tuple(g)) for g in groups)) == value
    assert exact["objective"] <= bound  # never below the optimum
    assert bound <= max(value, math.ceil(rel.bound - FIRST_REACH) - 1) < math.floor(rel.bound)
