"""The clique relaxation certificate of large group rounds (``group_certify``): it never
falls below the optimum (brute force, proven optima), also from duals that have not
settled, and it is far below the pair relaxation on a generated cohort."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pairing.matching.group_certify as group_certify
import pairing.matching.groups as groups_module
from pairing.matching import solve
from pairing.matching.group_certify import clique_bound
from pairing.matching.group_search import heuristic_groups
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense
from tests.pairing.matching_helpers import brute_force, check_solution
from tests.pairing.test_matching_group_exact import big_org_cohort, cohort


def certify(prob: dict) -> int | None:
    p = parse_problem(prob)
    groups, _, _ = heuristic_groups(p)
    allowed, score = dense(p)
    return clique_bound(allowed, score, p.group_size, groups, 30.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    k=st.sampled_from([3, 4, 5, 6, 7]),
    extra=st.integers(0, 5),
    big_org=st.booleans(),
    rounds=st.sampled_from([1, 2, 60]),
)
def test_the_certificate_never_falls_below_the_brute_force_optimum(seed, k, extra, big_org, rounds):
    """Whatever duals the column generation stopped at (one round, two, or settled), the
    repair makes them feasible, so the bound covers the optimum."""
    rng = random.Random(seed)
    n = k - 1 + extra
    prob = big_org_cohort(rng, n, k, seed) if big_org else cohort(rng, n, k, seed=seed)
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
)
def test_the_repair_turns_any_duals_into_a_bound_over_the_optimum(seed, k, extra, scale):
    """Duals far from the LP's (random shares of each member's best partners, random
    size duals): the repair's enumeration and size searches still cover every clique."""
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


def test_out_of_time_the_pair_bound_is_kept(monkeypatch):
    import bench.group_table as group_table

    prob = group_table.make_cohort(120, 4, 0)
    p = parse_problem(prob)
    _, pair_bound, _ = heuristic_groups(p)
    monkeypatch.setattr(groups_module, "CERTIFY_SECONDS", 0.0)
    sol = solve(prob)
    check_solution(prob, sol)
    assert sol["bound"] == pair_bound
    monkeypatch.undo()
    assert solve(prob)["bound"] < pair_bound


def test_groups_above_five_keep_the_pair_bound():
    """The repair's search is not tried above k = 5 (it grows to minutes at 1,000)."""
    import bench.group_table as group_table

    prob = group_table.make_cohort(120, 6, 0)
    _, pair_bound, _ = heuristic_groups(parse_problem(prob))
    assert solve(prob)["bound"] == pair_bound
