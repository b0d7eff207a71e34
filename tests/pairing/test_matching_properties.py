"""Hypothesis: every invariant of matching.md on random problems of every shape."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.matching import solve
from tests.pairing.matching_helpers import SHAPES, brute_force, check_solution, random_problem

small = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, max_n: int = 9, group_sizes=(2,)):
    shape = draw(st.sampled_from(SHAPES))
    k = 2 if shape == "mentoring" else draw(st.sampled_from(group_sizes))
    n = draw(st.integers(0, max_n))
    window = draw(st.sampled_from([None, 0, 1, 2]))
    randomness = draw(st.sampled_from([0, 0, 3]))
    seed = draw(st.integers(0, 10_000))
    rng = random.Random(draw(st.integers(0, 2**32)))
    return random_problem(rng, n, shape, k, randomness, seed, window)


@small
@given(problems())
def test_pairs_keep_every_rule_and_place_as_many_as_possible(prob):
    sol = solve(prob)
    check_solution(prob, sol)
    placed, best = brute_force(prob)
    assert sum(len(g["members"]) for g in sol["groups"]) == placed
    assert sol["objective"] <= best <= sol["bound"]


@small
@given(problems())
def test_large_pipeline_keeps_every_rule_and_places_as_many(prob):
    sol = solve(prob, exact_max=0)
    check_solution(prob, sol)
    placed, best = brute_force(prob)
    assert sum(len(g["members"]) for g in sol["groups"]) == placed
    assert best <= sol["bound"]


@settings(max_examples=40, deadline=None)
@given(problems(max_n=8, group_sizes=(3, 4)))
def test_groups_are_exact_on_small_rounds(prob):
    sol = solve(prob)
    check_solution(prob, sol)
    placed, best = brute_force(prob)
    assert sum(len(g["members"]) for g in sol["groups"]) == placed
    assert sol["objective"] == best


@small
@given(problems(max_n=30))
def test_same_problem_gives_the_same_solution(prob):
    first, second = solve(prob), solve(prob)
    first.pop("seconds")
    second.pop("seconds")
    assert first == second


@small
@given(problems(max_n=40))
def test_pairs_make_one_trio_at_most_and_only_when_placed_count_is_odd(prob):
    sol = solve(prob)
    trios = [g for g in sol["groups"] if len(g["members"]) == 3]
    placed = sum(len(g["members"]) for g in sol["groups"])
    assert len(trios) == placed % 2


def test_pairs_make_one_trio_when_placed_count_is_odd():
    members = [{"id": f"m{i}", "interests": [f"t{i % 4}"]} for i in range(15)]
    sol = solve({"programme": {"randomness": 2, "seed": 1}, "members": members})
    assert sorted(len(g["members"]) for g in sol["groups"]) == [2] * 6 + [3]


def test_different_seeds_give_different_rounds():
    prob = random_problem(random.Random(9), 40, "typical", randomness=5)
    rounds = set()
    for seed in range(4):
        prob["programme"]["seed"] = seed
        rounds.add(frozenset(frozenset(g["members"]) for g in solve(prob)["groups"]))
    assert len(rounds) > 1


def test_tiny_rounds():
    for n in range(4):
        prob = random_problem(random.Random(n), n, "typical")
        check_solution(prob, solve(prob))
