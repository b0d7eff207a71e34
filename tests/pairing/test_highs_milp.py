"""The 0-1 programme behind the exact groups' MILPs (``highs_milp``), on cases small
enough to check by hand: the best choice, a programme with no answer, and the rows."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.sparse import csr_matrix

from pairing.matching.highs_milp import maximise_binary


def _cover(columns, n):
    rows = [m for c in columns for m in c]
    cols = [j for j, c in enumerate(columns) for _ in c]
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(columns)))


def test_picks_the_best_disjoint_pairs_and_says_it_is_proven():
    columns = [(0, 1), (2, 3), (0, 2), (1, 3), (0, 3), (1, 2)]
    value = np.array([5.0, 5.0, 4.0, 7.0, 1.0, 1.0])
    a = _cover(columns, 4)
    x, proven = maximise_binary(value, [(a, np.zeros(4), np.ones(4))], 10.0)
    assert proven
    chosen = {columns[j] for j in np.flatnonzero(x > 0.5)}
    assert chosen == {(0, 2), (1, 3)}  # 11, against 10 for (0, 1) and (2, 3)


def test_agrees_with_every_choice_tried_by_hand():
    rng = np.random.default_rng(7)
    columns = [c for s in (2, 3) for c in itertools.combinations(range(7), s)]
    value = rng.integers(-5, 20, len(columns)).astype(float)
    a = _cover(columns, 7)
    count = csr_matrix(np.ones((1, len(columns))))
    x, proven = maximise_binary(value, [(a, np.zeros(7), np.ones(7)), (count, [3.0], [3.0])], 10.0)
    best = max(
        sum(value[j] for j in pick)
        for pick in itertools.combinations(range(len(columns)), 3)
        if len({m for j in pick for m in columns[j]}) == sum(len(columns[j]) for j in pick)
    )
    assert proven and np.isclose(value @ x, best)


def test_no_answer_is_proven_and_returns_none():
    columns = [(0, 1), (1, 2), (0, 2)]
    a = _cover(columns, 3)
    count = csr_matrix(np.ones((1, 3)))
    x, proven = maximise_binary(
        np.ones(3), [(a, np.zeros(3), np.ones(3)), (count, [2.0], [2.0])], 10.0
    )
    assert x is None and proven  # two disjoint pairs among three members: none
