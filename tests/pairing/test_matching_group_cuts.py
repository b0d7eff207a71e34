"""The cut certificate of large group rounds (``group_cuts``: the pair LP with triangle
and star cuts, solved by interior point without crossover): every round's bound covers
the optimum (brute force, proven optima), whatever the solver reached and whichever
round the time stopped it at, and the cuts bring it below the plain pair relaxation."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import pairing.matching.group_cuts as group_cuts
from bench.cut_bound import cut_bound as bench_cut_bound
from pairing.matching import solve
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense
from tests.pairing.matching_helpers import brute_force
from tests.pairing.test_matching_group_certify import TINY, tiny_cohort
from tests.pairing.test_matching_group_exact import big_org_cohort, cohort


def _bounds(prob: dict, rounds: int, **options: object) -> list[float]:
    """Each round's bound, in order (no time limit)."""
    p = parse_problem(prob)
    allowed, score = dense(p)
    bounds: list[float] = []
    group_cuts.cut_bound(
        p, allowed, score, np.inf, rounds=rounds,
        report=lambda _n, bound, *_rest: bounds.append(bound), **options,
    )  # fmt: skip
    return bounds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**TINY)
def test_every_rounds_bound_covers_the_brute_force_optimum(seed, k, extra, big_org):
    prob = tiny_cohort(seed, k, extra, big_org)
    _, best = brute_force(prob)

    bounds = _bounds(prob, 6)

    assert bounds and min(bounds) >= best - 1e-6


@pytest.mark.parametrize("start", [1, group_cuts.START])
@pytest.mark.parametrize("solver", ["ipm", "simplex"])
@pytest.mark.parametrize("k", [4, 5, 7])
def test_each_rounds_bound_covers_the_proven_optimum(k, solver, start, monkeypatch):
    """Also from a pool of each member's one best partner: the pairs outside it are
    priced into the bound, not left out of it."""
    monkeypatch.setattr(group_cuts, "START", start)
    for seed in range(2):
        prob = cohort(random.Random(70 * k + seed), 24, k, seed=seed)
        exact = solve(prob)
        assert exact["objective"] == exact["bound"]  # proven optimal

        bounds = _bounds(prob, 8, solver=solver)

        assert bounds and min(bounds) >= exact["objective"] - 1e-6


def test_the_cuts_tighten_the_pair_lp_on_a_big_organisation():
    prob = big_org_cohort(random.Random(11), 30, 4, seed=1)
    exact = solve(prob)

    bounds = _bounds(prob, 10)

    assert bounds[-1] < bounds[0]  # the cuts bite
    assert min(bounds) >= exact["objective"] - 1e-6
    # Stars only add cuts (the bench's driver, as the README's figures ran it).
    assert bench_cut_bound(prob, 10, stars=False) >= min(bounds) - 1e-6


def test_the_time_limit_stops_after_a_round_with_a_bound_that_holds():
    prob = big_org_cohort(random.Random(11), 30, 4, seed=1)
    exact = solve(prob)
    p = parse_problem(prob)
    allowed, score = dense(p)
    rounds: list[float] = []

    bound = group_cuts.cut_bound(
        p, allowed, score, 0.0, report=lambda _n, b, *_rest: rounds.append(b)
    )

    assert len(rounds) == 1 and bound == rounds[0] >= exact["objective"] - 1e-6
    assert _bounds(prob, 10)[-1] < bound  # more time, a lower bound


class _Recording:
    """A HiGHS model that notes each time limit it is given, with its clock at the time."""

    def __init__(self, highs: object) -> None:
        self._highs, self.limits = highs, []

    def __getattr__(self, name: str) -> object:
        return getattr(self._highs, name)

    def setOptionValue(self, name: str, value: object) -> object:
        if name == "time_limit":
            self.limits.append((self._highs.getRunTime(), value))
        return self._highs.setOptionValue(name, value)


def test_each_solve_is_given_its_seconds_on_highs_running_clock():
    """HiGHS's run time adds up over a model's solves: a limit of `seconds` alone stopped
    the fifth round (k = 7, 1,000 members) after 22 of its 67 s, with no bound."""
    prob = big_org_cohort(random.Random(11), 30, 4, seed=1)
    p = parse_problem(prob)
    allowed, score = dense(p)
    lp = group_cuts.CutLP(p, allowed, score)
    lp.h = recording = _Recording(lp.h)

    for _ in range(3):
        _bound, x, rc = lp.solve(5.0)
        lp.separate(x, stars=True)
        lp.price(rc)

    assert len(recording.limits) == 3
    assert recording.limits[-1][0] > 0  # the clock has run
    assert all(limit >= clock + 5.0 for clock, limit in recording.limits)
