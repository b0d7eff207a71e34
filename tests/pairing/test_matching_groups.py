"""Groups of k >= 3: the size rule, exactness against brute force, the large heuristic."""

from __future__ import annotations

import random

import pytest

import pairing.matching.groups as groups_module
from pairing.matching import solve
from pairing.matching.group_search import heuristic_groups
from pairing.matching.groups import composition
from pairing.matching.problem import parse_problem
from tests.pairing.matching_helpers import brute_force, check_solution, random_problem


@pytest.mark.parametrize(
    ("placed", "k", "expected"),
    [
        (10, 5, {5: 2}),
        (11, 5, {5: 1, 6: 1}),
        (9, 5, {5: 1, 4: 1}),
        (8, 5, {4: 2}),
        (7, 5, None),
        (3, 2, {3: 1}),
        (7, 2, {2: 2, 3: 1}),
        (1, 2, None),
        (2, 3, {2: 1}),
    ],
)
def test_group_sizes_follow_the_remainder_rule(placed, k, expected):
    assert composition(placed, k) == expected


@pytest.mark.parametrize("seed", range(12))
def test_small_groups_are_exact_against_brute_force(seed):
    rng = random.Random(seed)
    k = rng.choice([3, 4])
    prob = random_problem(rng, rng.randint(5, 8), "typical", group_size=k, randomness=2, seed=seed)
    sol = solve(prob)
    check_solution(prob, sol)
    placed, best = brute_force(prob)
    assert sum(len(g["members"]) for g in sol["groups"]) == placed
    assert sol["objective"] == best
    assert sol["bound"] >= best


def test_groups_of_five_at_forty_are_exact_and_certified():
    prob = random_problem(random.Random(1), 40, "typical", group_size=5)
    sol = solve(prob)
    check_solution(prob, sol)
    assert sol["objective"] == sol["bound"]


@pytest.mark.parametrize("seed", range(4))
def test_groups_when_the_exact_solver_runs_out_of_time_are_rule_clean_and_bounded(
    seed, monkeypatch
):
    rng = random.Random(seed)
    prob = random_problem(rng, 24, "typical", group_size=4)
    exact = solve(prob)
    monkeypatch.setattr(groups_module, "MILP_SECONDS", 1e-6)

    sol = solve(prob)

    check_solution(prob, sol)
    # The heuristic's groups are used when HiGHS has nothing better, and the bound still
    # covers the true optimum.
    found, _, _ = heuristic_groups(parse_problem(prob))
    assert sum(len(g["members"]) for g in sol["groups"]) >= sum(map(len, found))
    assert sol["bound"] >= exact["objective"] >= sol["objective"]


@pytest.mark.parametrize("shape", ["typical", "sparse_in_person", "one_org", "many_blocks"])
def test_large_group_heuristic_is_rule_clean(shape, monkeypatch):
    monkeypatch.setattr(groups_module, "EXACT_MAX", 0)
    prob = random_problem(random.Random(2), 150, shape, group_size=4, randomness=1, seed=2)
    sol = solve(prob)
    check_solution(prob, sol)
    assert sol["groups"]


def test_groups_when_highs_cannot_solve_the_placement_relaxation_still_place_everyone_possible(
    monkeypatch,
):
    import scipy.optimize

    prob = random_problem(random.Random(11), 12, "typical", group_size=4)
    expected = solve(prob)

    class Failed:
        status, fun = 4, None

    monkeypatch.setattr(scipy.optimize, "linprog", lambda *args, **kwargs: Failed())
    sol = solve(prob)

    check_solution(prob, sol)
    assert sum(len(g["members"]) for g in sol["groups"]) == sum(
        len(g["members"]) for g in expected["groups"]
    )
    assert sol["objective"] == expected["objective"] > 0
