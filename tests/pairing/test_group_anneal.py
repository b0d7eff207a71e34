"""The annealed swap search of large group rounds (``group_anneal``)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pairing.matching.group_search as search_module
import pairing.matching.groups as groups_module
from pairing.matching import solve
from pairing.matching.group_anneal import anneal
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense
from tests.pairing.matching_helpers import check_solution
from tests.pairing.test_matching_group_exact import cohort


def greedy_input(prob: dict):
    """What ``heuristic_groups`` hands to the annealing: matrices, greedy groups, lists."""
    seen = {}

    def spy(score, allowed, groups, idx, cnt, seed, group_size=0):
        seen.update(score=score, allowed=allowed, groups=groups, idx=idx, cnt=cnt, seed=seed)
        return groups

    p = parse_problem(prob)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search_module, "anneal", spy)
        search_module.heuristic_groups(p)
    return seen


def value(score: np.ndarray, groups: list[list[int]]) -> int:
    return int(sum(score[a, b] for g in groups for i, a in enumerate(g) for b in g[i + 1 :]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), k=st.sampled_from([4, 5, 6, 7]), n=st.integers(20, 70))
def test_annealing_keeps_every_group_allowed_and_every_size_and_never_loses(seed, k, n):
    prob = cohort(random.Random(seed), n, k, seed=seed, randomness=seed % 3)
    s = greedy_input(prob)
    out = anneal(s["score"], s["allowed"], s["groups"], s["idx"], s["cnt"], s["seed"])
    assert sorted(map(len, out)) == sorted(map(len, s["groups"]))
    members = [m for g in out for m in g]
    assert len(members) == len(set(members))
    for g in out:
        assert all(s["allowed"][a, b] for a in g for b in g if a != b)
    assert value(s["score"], out) >= value(s["score"], s["groups"])
    again = anneal(s["score"], s["allowed"], s["groups"], s["idx"], s["cnt"], s["seed"])
    assert again == out  # a deterministic function of the problem and its seed


def open_cohort(rng: random.Random, n: int, k: int) -> dict:
    """Everyone may meet everyone: any split into sizes is allowed."""
    topics = ["a", "b", "c", "d", "e", "f"]
    members = [{"id": f"q{i}", "interests": rng.sample(topics, rng.randint(0, 3)),
                "sector": rng.choice(["health", "academic", "public"]), "format": "online"}
               for i in range(n)]  # fmt: skip
    return {"programme": {"group_size": k, "sector_mix": "mixed", "seed": 1}, "members": members}


@pytest.mark.parametrize("seed", range(6))
def test_annealing_from_groups_in_id_order_reaches_the_proven_optimum(seed):
    rng = random.Random(seed)
    k = 4 + seed % 3
    prob = open_cohort(rng, 4 * k, k)
    exact = solve(prob)
    assert exact["objective"] == exact["bound"]  # proven
    p = parse_problem(prob)
    allowed, score = dense(p)
    start = [list(range(g * k, (g + 1) * k)) for g in range(4)]
    idx = np.argsort(-score, axis=1)[:, :8]
    cnt = np.full(p.n, 8)
    out = anneal(score, allowed, start, idx, cnt, 1)
    assert value(score, out) == exact["objective"] > value(score, start)


@pytest.mark.parametrize("k", [4, 7])
def test_a_large_round_scores_more_than_the_greedy_and_swaps_did(k, monkeypatch):
    prob = cohort(random.Random(90 + k), 120, k, seed=5, randomness=2)
    monkeypatch.setattr(groups_module, "EXACT_MAX", 0)
    # The pair relaxation only: the clique certificate starts from the grouping found,
    # so its bound would differ a little between the two.
    monkeypatch.setattr(groups_module, "CERTIFY_MAX", 0)
    annealed = solve(prob)
    check_solution(prob, annealed)
    monkeypatch.setattr(search_module, "ANNEAL_MAX", 0)
    swapped = solve(prob)
    check_solution(prob, swapped)
    assert annealed["objective"] > swapped["objective"]
    assert annealed["bound"] == swapped["bound"]  # the same relaxation bound


def test_the_annealing_is_skipped_above_its_size(monkeypatch):
    calls = []
    monkeypatch.setattr(search_module, "anneal", lambda *a, **kw: calls.append(1) or a[2])
    monkeypatch.setattr(search_module, "ANNEAL_MAX", 50)
    monkeypatch.setattr(groups_module, "EXACT_MAX", 0)
    solve(cohort(random.Random(3), 60, 5))
    assert calls == []
    solve(cohort(random.Random(3), 40, 5))
    assert calls == [1]
