"""Exactness: the engine's pairs against networkx, and the large pipeline against both."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from pairing.matching import solve
from pairing.matching.blossom import maximum_matching
from tests.pairing.matching_helpers import SHAPES, Rules, check_solution, random_problem


def networkx_optimum(problem: dict) -> tuple[int, int]:
    """(max matching size, its best score) on the allowed-pair graph."""
    rules = Rules(problem)
    ids = list(rules.members)
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if rules.allowed(a, b):
                graph.add_edge(a, b, weight=rules.score(a, b) + 1000)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return len(matching), sum(graph[a][b]["weight"] - 1000 for a, b in matching)


def matching_part(solution: dict, rules: Rules) -> tuple[int, int]:
    """Pairs of the solution, counting a trio as its best pair (the matching it extends)."""
    size, value = 0, 0
    for g in solution["groups"]:
        m = g["members"]
        size += 1
        if len(m) == 2:
            value += g["score"]
        else:
            value += max(rules.score(a, b) for a, b in ((m[0], m[1]), (m[0], m[2]), (m[1], m[2])))
    return size, value


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("n", [14, 41, 60])
def test_pairs_equal_the_networkx_optimum(shape, n):
    prob = random_problem(random.Random(n), n, shape, randomness=0)
    sol = solve(prob)
    rules = check_solution(prob, sol)
    size, value = networkx_optimum(prob)
    assert sum(len(g["members"]) for g in sol["groups"]) in (2 * size, 2 * size + 1)
    got_size, _ = matching_part(sol, rules)
    assert got_size == size
    assert sol["objective"] >= value


@pytest.mark.parametrize("shape", SHAPES)
def test_large_pipeline_is_maximal_and_near_exact_on_small_rounds(shape):
    prob = random_problem(random.Random(7), 120, shape, randomness=2, seed=4)
    exact = solve(prob)
    large = solve(prob, exact_max=0)
    check_solution(prob, large)
    placed = [sum(len(g["members"]) for g in s["groups"]) for s in (exact, large)]
    assert placed[0] == placed[1]
    assert large["objective"] >= 0.97 * exact["objective"]
    assert large["bound"] >= exact["objective"]


def test_pairs_bound_is_never_below_the_exact_optimum_of_the_large_pipeline():
    prob = random_problem(random.Random(3), 200, "typical", randomness=3, seed=1)
    _, value = networkx_optimum(prob)
    assert solve(prob, exact_max=0)["bound"] >= value


@pytest.mark.parametrize("seed", range(30))
def test_blossom_repair_reaches_a_maximum_matching(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 40)
    graph = nx.gnp_random_graph(n, rng.choice([0.05, 0.1, 0.2]), seed=seed)
    adjacency = [sorted(graph[v]) for v in range(n)]
    mate = [-1] * n
    for a, b in nx.maximal_matching(graph):
        mate[a], mate[b] = b, a
    mate, forest = maximum_matching(adjacency, mate)
    size = sum(1 for v in range(n) if mate[v] > v)
    assert size == len(nx.max_weight_matching(graph, maxcardinality=True))
    assert all(mate[mate[v]] == v for v in range(n) if mate[v] >= 0)
    assert all(graph.has_edge(v, mate[v]) for v in range(n) if mate[v] >= 0)
    # Tutte-Berge: inner vertices are a Tutte set that proves the size.
    inner = set(np.flatnonzero(forest.label == 2).tolist())
    rest = graph.subgraph(set(range(n)) - inner)
    odd = sum(1 for c in nx.connected_components(rest) if len(c) % 2)
    assert size == (n + len(inner) - odd) // 2
