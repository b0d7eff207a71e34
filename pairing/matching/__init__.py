"""The matching engine: members eligible for a round in, groups out.

Pure Python (numpy, scipy, rustworkx, numba); no Django. ``solve`` is the entry point used
by ``manage.py match_file`` and by the round service; see /shared/design/matching.md for
the contract, hard rules and objective.
"""

from __future__ import annotations

import time
from typing import Any

from .problem import ProblemError, parse_problem

__all__ = ["ProblemError", "solve"]


def solve(problem: dict[str, Any], *, exact_max: int | None = None) -> dict[str, Any]:
    """Solve one round.

    ``problem`` is the decoded problem JSON (matching.md); the result is the solution JSON:
    groups with host and score, unplaced members with a reason, ``objective`` and a proven
    upper ``bound`` on the best possible objective. Every hard rule holds in the output,
    placement is maximal (pairs: twice the maximum matching, plus one trio member when one
    fits), and the output is a deterministic function of the problem (and of its seed when
    ``randomness`` > 0). Raises ProblemError naming the first invalid field.

    ``exact_max`` overrides the size up to which pairs are solved exactly (tests use it
    to exercise the large-round pipeline on small problems).
    """
    # Imported here so that light users of the package (evaluate, problem) do not pay for
    # numba and scipy at import time.
    from .groups import solve_groups
    from .pairs import EXACT_MAX, solve_pairs
    from .solution import build_solution

    started = time.perf_counter()
    p = parse_problem(problem)
    limit = EXACT_MAX if exact_max is None else exact_max
    if p.group_size == 2:
        plan = solve_pairs(p, limit)
        groups, bound, degree = plan.groups, plan.bound, plan.degree
    else:
        groups, bound, degree = solve_groups(p)
    return build_solution(p, groups, bound, degree, time.perf_counter() - started)
