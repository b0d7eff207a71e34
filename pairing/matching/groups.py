"""Groups of k >= 3: exact for rounds up to ``EXACT_MAX`` members, heuristic above.

Sizes (matching.md): with P members placed, the remainder of P / k joins groups as k + 1
when there are at least as many groups as leftovers; otherwise groups of k - 1 are used.
Some P cannot be split that way (P = 7 with k = 5); the largest P that can, and that the
rules allow, is placed. The rule itself lives in ``group_sizes`` (shared with
``group_search``, which this module calls, so neither imports the other both ways).

When the members fall into a few classes of interchangeable members (``group_twins``: a
cohort of similar profiles with no randomness), an integer programme over group types is
exact at once. Otherwise, exact (``group_exact``): column generation over cliques with
exact pricing, then reduced-cost enumeration, so placement comes first and the score is
proven optimal for it. ``MILP_SECONDS`` is a safety net: past it the best grouping found
so far (or the heuristic's, if it places more) is returned with a bound that still
holds. If HiGHS fails on a relaxation, the previous method (``setpart``, every clique as
a column) is used. Large rounds use ``group_search`` (greedy, then annealed swaps) with
a relaxation bound (``group_bound``); up to ``CERTIFY_MAX`` members the clique
relaxation of ``group_certify`` lowers it (its LP stops after ``CERTIFY_SECONDS``), and
where the grouping is still below ``CUT_BELOW`` of the bound, the pair relaxation with
triangle and star cuts (``group_cuts``, ``CUT_SECONDS``).
"""

from __future__ import annotations

import math

import numpy as np

from .colgen import SolverFailed
from .group_certify import clique_bound
from .group_cuts import cut_bound
from .group_exact import exact_groups
from .group_search import heuristic_groups
from .group_sizes import composition
from .group_twins import twin_groups
from .problem import Problem
from .scoring import dense, group_score
from .setpart import previous_groups

__all__ = ["composition", "solve_groups"]

EXACT_MAX = 80
MILP_SECONDS = 30.0
# Up to PROVE_ALL members the optimum is always proven (time allowing); above, a grouping
# within GOOD_ENOUGH of the bound is kept when the proof would need a large search.
PROVE_ALL = 40
GOOD_ENOUGH = 0.995
# The clique relaxation's certificate for large rounds (``group_certify``): its LP stops
# after CERTIFY_SECONDS and its duals are repaired within a node limit, so unsettled duals
# give a weaker bound, and the lower of it and the pair bound is kept. At 1,000 members on
# 2 cores (bench/group_table.py cohorts, 2026-12-06): k = 4 12-16 s and k = 5 18-38 s,
# 0.970-0.977 of the bound where the pair relaxation gives 0.91-0.93; k = 6 82-93 s for
# 0.940-0.963 (pair: 0.90). At k = 7 its LP stalls at the grouping's value or does not
# settle in time, and 12-90 s gave no bound below the pair relaxation: not tried there.
CERTIFY_MAX = 1000
CERTIFY_K = 6
CERTIFY_SECONDS = 60.0
# Where the grouping is below CUT_BELOW of the bound after that (k = 7, a big organisation,
# k = 6 at times), the cut relaxation (``group_cuts``) for up to about CUT_SECONDS (a round
# starts only if it should end in time). At 1,000 members, k = 7 (bench/group_table.py
# cohort 0, 2 cores, beside other work): from 89,755 (0.905) to 85,611 (0.949) after 43 s
# and 85,319 (0.952) after 73 s of cuts; the README has the table for k = 4-7.
CUT_BELOW = 0.97
CUT_SECONDS = 150.0


def solve_groups(p: Problem) -> tuple[list[list[int]], int, np.ndarray]:
    if p.n == 0:
        return [], 0, np.zeros(0, np.int64)
    if p.n > EXACT_MAX:
        groups, bound, degree = heuristic_groups(p)
        if p.n <= CERTIFY_MAX and groups:
            allowed, score = dense(p)
            if p.group_size <= CERTIFY_K:
                strong = clique_bound(allowed, score, p.group_size, groups, CERTIFY_SECONDS)
                bound = bound if strong is None else min(bound, strong)
            if sum(group_score(p, g) for g in groups) < CUT_BELOW * bound:
                cuts = cut_bound(p, allowed, score, CUT_SECONDS)
                bound = min(bound, int(np.floor(cuts + 1e-6))) if math.isfinite(cuts) else bound
        return groups, bound, degree
    allowed, score = dense(p)
    degree = allowed.sum(axis=1)
    twins = twin_groups(allowed, np.where(allowed, score, 0), p.group_size, MILP_SECONDS)
    if twins is not None:  # a few classes of interchangeable members: exact, at once
        return twins[0], twins[1], degree
    found, star, _ = heuristic_groups(p, polish=False)  # seeds only (see there)
    try:
        share = None if p.n <= PROVE_ALL else GOOD_ENOUGH
        exact = exact_groups(allowed, score, p.group_size, found, MILP_SECONDS, share)
    except SolverFailed:
        return previous_groups(p)
    if exact.proven:
        return exact.groups, exact.objective, degree
    # Within GOOD_ENOUGH of the bound, or out of time: keep whichever places more, then
    # scores more. The heuristic's bound (best partners of each member) holds for every
    # grouping, as does the relaxation's when it was priced in time.
    value = sum(group_score(p, g) for g in found)
    bound = exact.bound if math.isfinite(exact.bound) else star
    bound = min(bound, star)
    if (sum(map(len, found)), value) > (sum(map(len, exact.groups)), exact.objective):
        return found, max(bound, value), degree
    return exact.groups, max(bound, exact.objective), degree
