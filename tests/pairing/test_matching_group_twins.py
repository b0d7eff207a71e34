"""Cohorts of a few kinds of interchangeable members (no randomness): the twins solver's
groups are the brute-force optimum, placement first, and come at once where the clique
model ran past its 30 s net."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pairing.matching import solve
from pairing.matching.group_twins import twin_classes
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense
from tests.pairing.matching_helpers import brute_force, check_solution

KINDS = [
    {"interests": ["a", "b"], "sector": "health", "region": "north", "format": "online"},
    {"interests": ["b"], "sector": "academic", "region": "south", "format": "either"},
    {"interests": [], "sector": "public", "region": "north", "format": "in_person"},
    {"interests": ["a"], "sector": "health", "region": "south", "format": "in_person"},
]


def _cohort(counts: list[int], orgs: list[str | None], k: int) -> dict:
    members = []
    for kind, (count, org) in enumerate(zip(counts, orgs, strict=False)):
        for _ in range(count):
            m = {**KINDS[kind], "id": f"m{len(members)}", "organisation": org, "experience": 1}
            members.append(m)
    return {
        "programme": {"group_size": k, "avoid_same_organisation": True, "randomness": 0},
        "members": members,
        "history": [],
    }


@settings(max_examples=60, deadline=None)
@example(counts=[2, 4, 2], orgs=[None, None, None, None], k=3)  # 8 in groups of 4, not 3+3+2
@given(
    counts=st.lists(st.integers(0, 4), min_size=2, max_size=4),
    orgs=st.lists(st.sampled_from([None, "Trust A", "Trust B"]), min_size=4, max_size=4),
    k=st.integers(3, 4),
)
def test_twins_are_grouped_as_well_as_brute_force_finds(counts, orgs, k):
    problem = _cohort(counts, orgs, k)
    if not 1 <= len(problem["members"]) <= 10:
        return
    allowed, score = dense(parse_problem(problem))
    assert twin_classes(allowed, np.where(allowed, score, 0), 6) is not None

    solution = solve(problem)

    check_solution(problem, solution)
    placed, best = brute_force(problem)
    assert sum(len(g["members"]) for g in solution["groups"]) == placed
    assert solution["objective"] == best == solution["bound"]


def test_a_symmetric_cohort_is_proven():
    """24 members of two kinds in groups of 7 (three groups of 8): the clique model ran
    past its 30 s net and reported 1,548 against a bound of 1,568."""
    problem = _cohort([12, 12], [None, None], 7)
    solution = solve(problem)
    check_solution(problem, solution)
    assert sum(len(g["members"]) for g in solution["groups"]) == 24
    assert solution["objective"] == solution["bound"]
    # Pairs score 24 (two of the first kind), 18 (two of the second) and 16 (mixed): a
    # group with a of the first kind is worth 5a^2 - 19a + 504, convex, so the optimum
    # puts 8, 4 and 0 of them in the three groups: 672 + 508 + 504.
    assert solution["objective"] == 1684
    firsts = sorted(sum(int(m[1:]) < 12 for m in g["members"]) for g in solution["groups"])
    assert firsts == [0, 4, 8]


def test_members_who_differ_are_not_twins():
    problem = _cohort([1, 1, 1, 1], [None, None, None, None], 3)
    allowed, score = dense(parse_problem(problem))
    assert twin_classes(allowed, np.where(allowed, score, 0), 6) == [[0], [1], [2], [3]]
