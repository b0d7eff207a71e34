"""Large group rounds anneal longer: above ``LARGE_FROM`` members, and longer again for
groups of ``LONG_FROM_K`` or more up to ``LONG_UP_TO`` members (where the engine then
certifies the grouping for 30 s or more)."""

from __future__ import annotations

import pytest

import pairing.matching.group_anneal as anneal_module
from bench.group_table import make_cohort
from pairing.matching.group_search import heuristic_groups
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import group_score


def _value(p, groups) -> int:
    return sum(group_score(p, list(g)) for g in groups)


def _groups_with(p, per_member: int):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(anneal_module, "MOVES_PER_MEMBER_LONG", per_member)
        groups, _, _ = heuristic_groups(p)
    return groups


def test_a_large_round_anneals_longer_and_scores_higher_with_the_same_members_placed():
    p = parse_problem(make_cohort(400, 6, 0))
    assert anneal_module.LARGE_FROM < p.n <= anneal_module.LONG_UP_TO
    assert p.group_size >= anneal_module.LONG_FROM_K
    longest, _, _ = heuristic_groups(p)
    shorter = _groups_with(p, anneal_module.MOVES_PER_MEMBER_LARGE)  # before 2026-12-07
    shortest = _groups_with(p, anneal_module.MOVES_PER_MEMBER)

    assert sorted(map(len, longest)) == sorted(map(len, shorter)) == sorted(map(len, shortest))
    assert _value(p, longest) > _value(p, shorter) > _value(p, shortest)
