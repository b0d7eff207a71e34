"""Large group rounds (above ``LARGE_FROM`` members) anneal longer: better groups."""

from __future__ import annotations

import pytest

import pairing.matching.group_anneal as anneal_module
from bench.group_table import make_cohort
from pairing.matching.group_search import heuristic_groups
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import group_score


def _value(p, groups) -> int:
    return sum(group_score(p, list(g)) for g in groups)


def test_a_large_round_anneals_longer_and_scores_higher_with_the_same_members_placed():
    p = parse_problem(make_cohort(400, 6, 0))
    assert p.n > anneal_module.LARGE_FROM
    longer, _, _ = heuristic_groups(p)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(anneal_module, "MOVES_PER_MEMBER_LARGE", anneal_module.MOVES_PER_MEMBER)
        shorter, _, _ = heuristic_groups(p)

    assert sorted(map(len, longer)) == sorted(map(len, shorter))
    assert _value(p, longer) > _value(p, shorter)
