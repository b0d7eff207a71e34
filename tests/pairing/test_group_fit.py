"""The local search for a grouping of given sizes (``group_fit``) and its use in the exact
method (the first incumbent of a placed count)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.matching import solve
from pairing.matching.group_fit import fit_sizes
from pairing.matching.group_sizes import composition
from tests.pairing.matching_helpers import check_solution


def planted(rng: np.random.Generator, sizes: list[int], spare: int, noise: float):
    """An allowed graph holding one grouping of ``sizes`` (shuffled), plus random pairs."""
    n = sum(sizes) + spare
    order = rng.permutation(n)
    allowed = rng.random((n, n)) < noise
    start = 0
    for s in sizes:
        g = order[start : start + s]
        allowed[np.ix_(g, g)] = True
        start += s
    allowed = np.triu(allowed, 1)
    allowed |= allowed.T
    return allowed


def planted_counts(rng: np.random.Generator, k: int, groups: int, spare: int, noise: float,
                   plant: bool):  # fmt: skip
    """A placed count of about ``groups`` groups of k, its sizes by the size rule, and an
    allowed graph (holding one grouping of those sizes if ``plant``): (allowed, counts)."""
    placed = groups * k + int(rng.integers(0, min(groups, k - 1) + 1))
    counts = composition(placed, k)
    sizes = [s for s, c in counts.items() for _ in range(c)] if plant else []
    return planted(rng, sizes, placed + spare - sum(sizes), noise), counts


def assert_valid(allowed: np.ndarray, groups: list[list[int]], counts: dict[int, int]):
    got: dict[int, int] = {}
    for g in groups:
        got[len(g)] = got.get(len(g), 0) + 1
        assert all(allowed[a, b] for a, b in itertools.combinations(g, 2))
    assert got == {s: c for s, c in counts.items() if c}
    members = [m for g in groups for m in g]
    assert len(members) == len(set(members))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), k=st.sampled_from([4, 5, 6, 7]), groups=st.integers(1, 11),
       spare=st.integers(0, 6), noise=st.sampled_from([0.0, 0.3, 0.6, 0.9]),
       plant=st.booleans())  # fmt: skip
def test_a_grouping_found_has_the_sizes_asked_for_and_only_allowed_pairs(
    seed, k, groups, spare, noise, plant
):
    rng = np.random.default_rng(seed)
    allowed, counts = planted_counts(rng, k, groups, spare, noise, plant)
    found = fit_sizes(allowed, counts)
    if found is not None:
        assert_valid(allowed, found, counts)
    if plant and noise == 0.9:
        assert found is not None  # many groupings fit: it finds one
    assert fit_sizes(allowed, counts) == found  # deterministic


def test_it_finds_the_counts_the_benchmark_cohorts_can_place():
    """Groups benchmark cohorts (k, N, problem) where a grouping placing that many exists
    (found by HiGHS or by the engine) and the 8 s MILPs found none or took long."""
    from bench.group_table import make_cohort
    from pairing.matching.problem import parse_problem
    from pairing.matching.scoring import dense

    for k, n, seed, placed in [(7, 80, 10, 79), (7, 80, 11, 74), (7, 60, 7, 55), (6, 60, 2, 52)]:
        allowed, _ = dense(parse_problem(make_cohort(n, k, seed)))
        found = fit_sizes(allowed, composition(placed, k))
        assert found is not None
        assert_valid(allowed, found, composition(placed, k))


def test_sizes_nobody_can_fill_give_none():
    allowed = np.zeros((12, 12), bool)  # nobody may meet anybody
    assert fit_sizes(allowed, {4: 1}) is None
    two = np.zeros((10, 10), bool)
    two[np.ix_(range(5), range(5))] = True  # one group of five can meet, the rest nobody
    np.fill_diagonal(two, False)
    assert fit_sizes(two, {5: 1}) is not None
    assert fit_sizes(two, {5: 2}) is None
    assert fit_sizes(two, {6: 1}) is None


def test_the_most_that_can_be_placed_is_placed_where_the_milps_alone_ran_out_of_time():
    """k = 7, N = 80, problem 10 of the groups benchmark: 79 can be placed (HiGHS with
    120 s per MILP found such a grouping). With 8 s MILPs and no first incumbent the
    engine placed 77, reaching the 30 s net; the local search finds 79 in under a second."""
    from bench.group_table import make_cohort

    prob = make_cohort(80, 7, 10)
    sol = solve(prob)
    check_solution(prob, sol)
    assert sum(len(g["members"]) for g in sol["groups"]) == 79
