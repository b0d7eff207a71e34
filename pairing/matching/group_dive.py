"""A diving heuristic over the score relaxation: groupings close to the LP bound.

The annealed local search (``group_anneal``) can stall a few per cent under the optimum
when the allowed cliques are scarce (k = 7 with many in-person members: 95-96 % of the
bound on three of twenty benchmark cohorts at N = 80). The relaxation knows better: its
columns with x = 1 are usually in an optimal grouping. So, as branch-and-price solvers
find their incumbents, this fixes the columns the LP takes whole (or, if none, the one it
takes most of), removes their members and the groups they fill from the counts, and
solves the LP again over the members left, with column generation (``colgen.Master``),
until every group is fixed. It then backs up and tries the next column the LP takes
most of (``WIDTH`` choices at a level, depth first), skipping any branch whose LP cannot
beat the best grouping found, until ``NODES`` LPs or the deadline: a small branch and
price with no proof. Backing up also finds a grouping where the size rule's counts are
tight (79 of 80 placed) and the first choice leads nowhere.

Measured on the benchmark's k = 7, N = 80 cohorts 7, 10 and 11 (``bench/group_table.py``,
2 cores, beside other work): the annealed groupings were worth 4,702, 5,186 and 4,974;
stopping at the first grouping, the dive found 4,695, 5,281 (after 66 LPs) and 5,152 in
1-3 s; going on as above, with annealing from the best, 4,701, 5,314 and 5,175 in 5 s.
The caller keeps the better of the local search's and the dive's.
"""

from __future__ import annotations

import time

import numpy as np

from .colgen import Master

WIDTH = 3  # choices tried at a level before backing up
NODES = 300  # LPs at most in one dive
WHOLE = 1 - 1e-6  # a column at least this much in the LP is taken whole
USED = 1e-6  # columns below this are not in the LP's answer


def dive(
    adj: np.ndarray,
    w: np.ndarray,
    sizes: list[int],
    counts: dict[int, int],
    columns: list[tuple[int, ...]],
    deadline: float,
) -> list[list[int]] | None:
    """The best grouping found meeting ``counts`` (sizes to number of groups), each group
    an allowed clique, by diving on the score relaxation started from ``columns``; None if
    none was found within ``NODES`` LPs or before ``deadline``."""
    state = _State(w, NODES, deadline)
    state.level(adj, sizes, np.arange(len(adj)), dict(counts), list(columns), [], 0.0)
    return state.best


class _State:
    """The search: LPs left, the deadline, and the best grouping found (with its worth)."""

    def __init__(self, w, nodes, deadline):
        self.w, self.nodes, self.deadline = w, nodes, deadline
        self.best: list[list[int]] | None = None
        self.value = -np.inf

    def level(self, adj, sizes, rest, counts, columns, fixed, worth):
        """Groups for the members ``rest`` meeting ``counts``, after ``fixed`` (worth
        ``worth``): the LP over them, then each choice of columns to fix, depth first."""
        if sum(counts.values()) == 0:
            if worth > self.value:
                self.best, self.value = [list(g) for g in fixed], worth
            return
        if self.nodes <= 0 or time.monotonic() > self.deadline:
            return
        self.nodes -= 1
        w = self.w
        pos = {int(v): i for i, v in enumerate(rest)}
        sub = Master(adj[np.ix_(rest, rest)], w[np.ix_(rest, rest)], sizes, counts, False)
        sub.pool.add(
            tuple(pos[v] for v in m)  # columns are sorted, and rest is too
            for m in columns
            if counts.get(len(m), 0) > 0 and all(v in pos for v in m)
        )
        rel = sub.relax(self.deadline)
        if rel.artificial > USED:
            return  # the members left cannot fill these groups, even fractionally
        if worth + min(rel.bound, rel.value if rel.converged else np.inf) < self.value + 1 - 1e-6:
            return  # nothing better down here (scores are whole numbers)
        x = sub.x
        cols = [tuple(int(rest[v]) for v in m) for m in sub.pool.members]
        vals = sub.pool.values
        order = [int(j) for j in np.argsort(-x, kind="stable") if x[j] > USED]
        whole = [j for j in order if x[j] >= WHOLE]
        choices = ([whole] if whole else []) + [[j] for j in order[:WIDTH] if j not in whole]
        for choice in choices[:WIDTH]:
            picked, taken, left, gain = [], set(), dict(counts), 0.0
            for j in choice:
                if taken.isdisjoint(cols[j]):
                    taken.update(cols[j])
                    picked.append(list(cols[j]))
                    left[len(cols[j])] -= 1
                    gain += vals[j]
            others = np.array([v for v in rest if int(v) not in taken], np.int64)
            self.level(adj, sizes, others, left, cols, fixed + picked, worth + gain)
