"""A 0-1 programme solved by HiGHS through highspy, with options scipy's ``milp`` lacks.

The set-partitioning MILPs of ``colgen`` (a few hundred to 20,000 clique columns, one
row per member and one per group size) spend most of their time in HiGHS's sub-MIP
heuristics (RINS, RENS) and in a restart after the root, not in branching: the root's
cuts close them, usually at node 0 or 1. Measured on 22 MILPs dumped from the
``bench/group_table.py`` cohorts at N = 80 (k = 5 and 7, 2 cores, 2026-12-07), with the
same optimum every time: the 15 that took highspy over 1 s with its defaults (1.8-20.4 s)
took 0.45-16.9 s, 2-5 times less except the largest (15,170 columns: 20.4 against
16.9 s); scipy's ``milp`` took 8.7 s on one that takes 2.6 s here. Without presolve, with
the incumbent's value as an objective bound, or with the incumbent as a start, they were
slower (up to five times).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, vstack

OPTIONS = {
    "output_flag": False,
    "mip_rel_gap": 0.0,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_allow_restart": False,
}


def maximise_binary(
    value: np.ndarray,
    rows: list[tuple[csr_matrix, np.ndarray, np.ndarray]],
    seconds: float,
) -> tuple[np.ndarray | None, bool]:
    """Maximise ``value @ x`` over x in {0, 1}^n with lower <= A x <= upper for each
    (A, lower, upper) in ``rows``. Returns (x, proven): x is None when no x was found,
    and proven says the answer is final (optimal, or no x exists), not cut short by
    ``seconds``."""
    import highspy

    n = len(value)
    a = vstack([r[0] for r in rows]).tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, a.shape[0]
    lp.col_cost_ = -np.asarray(value, np.float64)
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
    lp.row_lower_ = np.concatenate([np.asarray(r[1], np.float64) for r in rows])
    lp.row_upper_ = np.concatenate([np.asarray(r[2], np.float64) for r in rows])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = highspy.Highs()
    for name, setting in OPTIONS.items():
        h.setOptionValue(name, setting)
    h.setOptionValue("time_limit", max(float(seconds), 0.01))
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, True
    if h.getInfo().primal_solution_status != 2:  # 2: a feasible point
        return None, False
    x = np.asarray(h.getSolution().col_value)
    return x, status == highspy.HighsModelStatus.kOptimal
