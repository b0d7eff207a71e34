"""The clique relaxation certificate of large group rounds (``group_certify``): it never
falls below the optimum (brute force, proven optima), also from duals that have not
settled, and it is far below the pair relaxation on a generated cohort."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pairing.matching.group_certify as group_certify
from pairing.matching import solve
from pairing.matching.group_certify import clique_bound
from pairing.matching.group_search import heuristic_groups
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense, group_score
from tests.pairing.matching_helpers import brute_force, check_solution
from tests.pairing.test_matching_group_exact import big_org_cohort, cohort


def certify(prob: dict) -> int | None:
    p = parse_problem(prob)
    groups, _, _ = heuristic_groups(p)
    allowed, score = dense(p)
    return clique_bound(allowed, score, p.group_size, groups, 30.0)


# Cohorts small enough for brute force (k - 1 to k + 4 members), with or without a big
# organisation: shared with the cut certificate's tests.
TINY = {
    "seed": st.integers(0, 10**6),
    "k": st.sampled_from([3, 4, 5, 6, 7]),
    "extra": st.integers(0, 5),
    "big_org": st.booleans(),
}


def tiny_cohort(seed: int, k: int, extra: int, big_org: bool) -> dict:
    rng = random.Random(seed)
    n = k - 1 + extra
    return big_org_cohort(rng, n, k, seed) if big_org else cohort(rng, n, k, seed=seed)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**TINY, rounds=st.sampled_from([1, 2, 60]))
def test_the_certificate_never_falls_below_the_brute_force_optimum(seed, k, extra, big_org, rounds):
    """Whatever duals the column generation stopped at (one round, two, or settled), the
    repair makes them feasible, so the bound covers the optimum."""
    prob = tiny_cohort(seed, k, extra, big_org)
    _, best = brute_force(prob)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(group_certify, "ROUNDS", rounds)
        patch.setattr(group_certify, "LEFT_OUT", 1.0)  # always repair, even then
        bound = certify(prob)
    assert bound is not None
    assert bound >= best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    k=st.sampled_from([3, 4, 5, 6, 7]),
    extra=st.integers(0, 5),
    scale=st.floats(0.0, 1.5),
    lp_first=st.booleans(),
)
def test_the_repair_turns_any_duals_into_a_bound_over_the_optimum(seed, k, extra, scale, lp_first):
    """Duals far from the LP's (random shares of each member's best partners, random
    size duals): the repair covers every clique, from the LP's thresholds (theta = 0 for
    k, mu for the other sizes) or from the top down (the first given no nodes)."""
    import numpy as np

    rng = random.Random(seed)
    prob = cohort(rng, k - 1 + extra, k, seed=seed)
    _, best = brute_force(prob)
    p = parse_problem(prob)
    allowed, score = dense(p)
    allowed = allowed.copy()
    np.fill_diagonal(allowed, False)
    w = np.where(allowed, score, 0).astype(float)
    u = np.array([scale * rng.random() * w[i].max(initial=0) for i in range(p.n)])
    sizes = [s for s in (k - 1, k, k + 1) if 2 <= s <= p.n]
    mu = {s: (0.0 if s == k else rng.choice([0.0, 5.0 * rng.random()])) for s in sizes}
    caps = {s: k - 1 for s in sizes if s != k}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(group_certify, "FIRST_NODES", group_certify.FIRST_NODES * lp_first)
        total = group_certify._repaired(allowed, w, u, mu, caps)
    assert total is not None
    assert total + 1e-4 >= best


@pytest.mark.parametrize("k", [4, 5, 6, 7])
def test_the_certificate_covers_proven_optima_at_thirty_and_beats_the_pair_bound(k):
    tighter = 0
    for seed in range(3):
        prob = cohort(random.Random(40 * k + seed), 30, k, seed=seed)
        exact = solve(prob)
        assert exact["objective"] == exact["bound"]  # proven optimal
        p = parse_problem(prob)
        _, pair_bound, _ = heuristic_groups(p)
        bound = certify(prob)
        assert bound is not None and bound >= exact["objective"]
        tighter += bound < pair_bound
    assert tighter >= 2


def test_a_large_round_reports_the_clique_bound_within_five_percent():
    """300 members in groups of 5 (a generated cohort with history, organisations and
    blocks): the pair relaxation alone says 88 % of the bound; the clique relaxation
    certifies at least 95 %."""
    import bench.group_table as group_table

    prob = group_table.make_cohort(300, 5, 0)
    _, pair_bound, _ = heuristic_groups(parse_problem(prob))
    sol = solve(prob)
    check_solution(prob, sol)
    assert sol["objective"] < 0.9 * pair_bound
    assert sol["objective"] >= 0.95 * sol["bound"]
    assert sol["bound"] < pair_bound


def test_out_of_time_the_lp_stops_and_its_duals_still_give_a_bound(monkeypatch):
    """An LP stopped by its time limit before it settles (here after five rounds, on a
    clock that ticks a second per look) is repaired where it stopped, as one stopped by
    its round limit is: a bound over the grouping and below the pair relaxation (it used
    to give nothing), which more rounds only lower."""
    import itertools

    import bench.group_table as group_table

    prob = group_table.make_cohort(120, 4, 0)
    p = parse_problem(prob)
    groups, pair_bound, _ = heuristic_groups(p)
    allowed, score = dense(p)
    value = sum(group_score(p, g) for g in groups)
    settled = clique_bound(allowed, score, 4, groups, 60.0)
    ticks = itertools.count()
    monkeypatch.setattr(group_certify.time, "monotonic", lambda: float(next(ticks)))
    hurried = clique_bound(allowed, score, 4, groups, 4.5)  # the clock passes it in round 5
    monkeypatch.undo()
    monkeypatch.setattr(group_certify, "ROUNDS", 5)
    assert hurried == clique_bound(allowed, score, 4, groups, 60.0)
    assert value <= settled < hurried < pair_bound


def test_groups_of_six_get_the_clique_bound_and_of_seven_the_cut_bound():
    """Above k = 5 the repair's exact enumeration (theta = 0) outgrows its nodes at
    1,000 members; the thresholds from the top down still give a bound, so groups of 6
    are certified too (here 120 members), below the pair relaxation. At k = 7 the clique
    LP stalls at large sizes for no bound, so it is not tried: the pair relaxation with
    cuts (group_cuts) lowers the bound instead."""
    import bench.group_table as group_table

    for k in (6, 7):
        prob = group_table.make_cohort(120, k, 0)
        _, pair_bound, _ = heuristic_groups(parse_problem(prob))
        sol = solve(prob)
        check_solution(prob, sol)
        if k == 6:
            assert sol["objective"] <= sol["bound"] < 0.97 * pair_bound
        else:
            assert sol["objective"] <= sol["bound"] < 0.97 * pair_bound
