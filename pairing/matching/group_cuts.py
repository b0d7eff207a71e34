"""The pair relaxation of ``group_pairlp`` strengthened by cutting planes: the certificate
of large group rounds (up to ``CUT_MAX`` members) where the others leave a gap.

Over pairs x_ij in [0, 1] (i and j share a group), with each member's group-mates (k - 1,
or k for the members of the few groups of k + 1), at most one group-mate of each member
from each big organisation, and their capacities, as ``group_pairlp``; then, round by
round, the violated

- triangle inequalities, x_ij + x_jl - x_il <= 1 (two of j's group-mates share a group),
- star inequalities, for a member i and a set T of others: the x_ij over T, less the
  x_jl inside T, at most 1 (i's group-mates in T are one group),

and the pairs whose reduced cost is positive (every allowed pair is priced each round).
Each inequality holds for every grouping; a pair not allowed is left out of it, which
keeps it valid (such a pair is 0).

HiGHS solves each LP by its interior point method without crossover: the duals are
approximate, and the bound does not need them exact. By weak duality, for any row duals
y >= 0, every grouping is worth at most rhs . y plus, over every column, its positive
reduced cost (columns are at most 1), and every pair outside the pool is priced the same
way (it is in no cut). So every round's bound holds, settled or not, and the lowest is
kept.

Why interior point: the simplex re-solves grew to minutes as the cuts piled up (k = 7,
1,000 members: 86,157 after 1,011 s by the dual simplex from the last basis), where the
interior point method without crossover reached 85,319 in 73 s (2026-12-07, 2 cores,
beside other work). Why stars: the triangle LP's optimum is mostly x = 1/2 on a regular
support, which no triangle inequality cuts.
"""

from __future__ import annotations

import time

import numpy as np

from .group_bound import big_organisations, capacities
from .problem import Problem

START = 20  # each member's best partners in the first LP
PRICED = 5  # pairs of positive reduced cost taken per member and round
PER_MEMBER = 10  # triangle cuts per middle member and round
SETTLED = 0.001  # a round that lowers the bound by less than this share ends the loop


class CutLP:
    """The LP, held in HiGHS between rounds. Columns: n slot variables e_i, then pairs.
    Rows: degree (n), extra slots (1), member x organisation (n x orgs), capacity, then
    cuts (each over pool columns only, so a pair priced later is in none)."""

    def __init__(
        self, p: Problem, allowed: np.ndarray, score: np.ndarray, solver: str = "ipm"
    ) -> None:
        import highspy

        self.hs = highspy
        self.n, self.k = n, k = p.n, p.group_size
        allowed = allowed.copy()
        np.fill_diagonal(allowed, False)
        self.allowed, self.w = allowed, np.where(allowed, score, 0).astype(float)
        self.big = big_organisations(p)
        self.cap = capacities(p, self.big, k)
        self.orgs = max(len(self.cap), 1)
        self.capped = np.flatnonzero(self.cap > 0)
        self.cindex = np.full(self.orgs, -1)
        self.cindex[self.capped] = np.arange(len(self.capped))
        self.org0, self.cap0 = n + 1, n + 1 + n * self.orgs
        self.base = self.cap0 + len(self.capped)
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if solver != "simplex":
            h.setOptionValue("solver", solver)
            h.setOptionValue("run_crossover", "off")
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        rhs = np.concatenate(
            [np.full(n, k - 1.0), [(k + 1) * (k - 1.0)], np.ones(n * self.orgs),
             self.cap[self.capped]]
        )  # fmt: skip
        none = np.zeros(0, np.int32)
        h.addRows(len(rhs), np.full(len(rhs), -highspy.kHighsInf), rhs, 0, none, none, np.zeros(0))
        index = np.empty(2 * n, np.int32)
        index[0::2], index[1::2] = np.arange(n), n
        value = np.empty(2 * n)
        value[0::2], value[1::2] = -1.0, 1.0
        starts = np.arange(n, dtype=np.int32) * 2
        h.addCols(n, np.zeros(n), np.zeros(n), np.ones(n), 2 * n, starts, index, value)
        self.column: dict[tuple[int, int], int] = {}
        self.pairs: list[tuple[int, int]] = []
        self.seen: set = set()
        first = set()
        for i in range(n):
            mine = np.flatnonzero(allowed[i])
            for j in mine[np.argsort(-self.w[i, mine])[:START]]:
                if self.w[i, j] > 0:
                    first.add((min(i, j), max(i, j)))
        self.add_pairs(sorted(first))

    def _rows_of(self, a: int, b: int) -> list[int]:
        big, rows = self.big, [a, b]
        if big[b] >= 0 and big[b] != big[a]:
            rows.append(self.org0 + a * self.orgs + big[b])
        if big[a] >= 0 and big[a] != big[b]:
            rows.append(self.org0 + b * self.orgs + big[a])
        for m in (a, b):
            if big[m] >= 0 and self.cindex[big[m]] >= 0:
                rows.append(self.cap0 + self.cindex[big[m]])
        return rows

    def add_pairs(self, pairs: list[tuple[int, int]]) -> None:
        new = [q for q in pairs if q not in self.column]
        if not new:
            return
        starts, index = [], []
        for q in new:
            starts.append(len(index))
            index += self._rows_of(*q)
            self.column[q] = self.n + len(self.pairs)
            self.pairs.append(q)
        cost = np.array([self.w[a, b] for a, b in new])
        zeros, ones = np.zeros(len(new)), np.ones(len(new))
        self.h.addCols(
            len(new), cost, zeros, ones, len(index), np.array(starts, np.int32),
            np.array(index, np.int32), np.ones(len(index)),
        )  # fmt: skip

    def add_cut(self, terms: list[tuple[tuple[int, int], float]]) -> None:
        columns = np.array([self.column[q] for q, _ in terms], np.int32)
        values = np.array([c for _, c in terms])
        self.h.addRows(
            1, np.array([-self.hs.kHighsInf]), np.array([1.0]), len(columns),
            np.array([0], np.int32), columns, values,
        )  # fmt: skip

    def solve(self, seconds: float) -> tuple[float, np.ndarray, np.ndarray] | None:
        """(the weak-duality bound, X as an n x n matrix, the reduced costs of all pairs),
        or None when HiGHS returned no duals."""
        h, n = self.h, self.n
        # HiGHS's clock runs on across calls: the limit is its time so far plus this one's.
        h.setOptionValue("time_limit", h.getRunTime() + max(seconds, 1.0))
        h.run()
        solution, lp = h.getSolution(), h.getLp()
        y = np.abs(np.array(solution.row_dual))  # <= rows of a maximisation
        if not solution.dual_valid or len(y) != lp.num_row_:
            return None
        matrix = lp.a_matrix_
        start, index = np.array(matrix.start_), np.array(matrix.index_)
        cost = np.array(lp.col_cost_)
        used = np.zeros(len(cost))
        np.add.at(
            used,
            np.repeat(np.arange(len(cost)), np.diff(start)),
            np.array(matrix.value_) * y[index],
        )
        bound = float(np.array(lp.row_upper_) @ y) + np.maximum(cost - used, 0).sum()
        own = y[:n]
        z = y[self.org0 : self.cap0].reshape(n, self.orgs)
        lam = np.zeros(self.orgs)
        lam[self.capped] = y[self.cap0 : self.base]
        big = self.big
        charge = own + np.where(big >= 0, lam[np.maximum(big, 0)], 0.0)
        rc = self.w - charge[:, None] - charge[None, :]
        zz = np.where(big[None, :] >= 0, z[:, np.maximum(big, 0)], 0.0)
        zz = np.where(big[None, :] == big[:, None], 0.0, zz)
        rc = np.where(self.allowed, rc - zz - zz.T, -np.inf)
        pa = np.array([q[0] for q in self.pairs], np.int64)
        pb = np.array([q[1] for q in self.pairs], np.int64)
        rc[pa, pb] = rc[pb, pa] = -np.inf  # in the LP: counted above
        bound += np.triu(np.maximum(rc, 0), 1).sum()
        x = np.zeros((n, n))
        x[pa, pb] = x[pb, pa] = np.array(solution.col_value)[n:]
        return bound, x, rc

    def separate(self, x: np.ndarray, stars: bool) -> int:
        """Add violated triangle (and star) cuts; the number added."""
        found = []
        for j in range(self.n):
            near = np.flatnonzero(x[j] > 1e-6)
            if len(near) < 2:
                continue
            sub = x[j, near]
            excess = sub[:, None] + sub[None, :] - x[np.ix_(near, near)] - 1
            for u, v in zip(*np.nonzero(np.triu(excess > 1e-4, 1)), strict=True):
                found.append((excess[u, v], near[u], j, near[v]))
        found.sort(reverse=True)
        per = np.zeros(self.n, int)
        cuts = []
        for _, a, j, c in found:
            key = (min(a, c), j, max(a, c))
            if key in self.seen or per[j] >= PER_MEMBER:
                continue
            per[j] += 1
            self.seen.add(key)
            terms = [((min(a, j), max(a, j)), 1.0), ((min(j, c), max(j, c)), 1.0)]
            if self.allowed[a, c]:
                terms.append(((min(a, c), max(a, c)), -1.0))
            cuts.append(terms)
        if stars:
            cuts += self._stars(x)
        self.add_pairs(sorted({q for terms in cuts for q, _ in terms}))
        for terms in cuts:
            self.add_cut(terms)
        return len(cuts)

    def _stars(self, x: np.ndarray) -> list:
        """For each member i, a set T grown greedily from i's largest x_ij, while each
        addition gains (x_ij less its x inside T); a cut where the sum passes 1."""
        cuts = []
        for i in range(self.n):
            near = np.flatnonzero(x[i] > 1e-6)
            chosen, total = [], 0.0
            for j in near[np.argsort(-x[i, near])]:
                gain = x[i, j] - x[j, chosen].sum()
                if gain > 1e-6:
                    chosen.append(j)
                    total += gain
            key = (i, tuple(sorted(chosen)))
            if len(chosen) >= 3 and total > 1 + 1e-4 and key not in self.seen:
                self.seen.add(key)
                inside = [
                    (min(a, b), max(a, b))
                    for t, a in enumerate(chosen)
                    for b in chosen[t + 1 :]
                    if self.allowed[a, b]
                ]
                mine = [((min(i, j), max(i, j)), 1.0) for j in chosen]
                cuts.append(mine + [(q, -1.0) for q in inside])
        return cuts

    def price(self, rc: np.ndarray) -> int:
        take = min(PRICED, self.n)
        best = np.argsort(-rc, axis=1)[:, :take]
        rows = np.repeat(np.arange(self.n), take)
        cols = best.ravel()
        keep = rc[rows, cols] > 1e-6
        new = sorted({(min(a, b), max(a, b)) for a, b in zip(rows[keep], cols[keep], strict=True)})
        self.add_pairs(new)
        return len(new)


def cut_bound(
    p: Problem,
    allowed: np.ndarray,
    score: np.ndarray,
    seconds: float,
    *,
    rounds: int = 100,
    stars: bool = True,
    solver: str = "ipm",
    report=None,
) -> float:
    """The lowest bound over the rounds of cuts and pricing (inf if none was reached).
    Stops when a round adds nothing, lowers the bound by less than ``SETTLED``, or the
    next round would likely end past ``seconds`` (it takes longer than the last)."""
    if p.n < 2:
        return np.inf
    began = time.perf_counter()
    lp = CutLP(p, allowed, score, solver)
    best, last = np.inf, 0.0
    for number in range(rounds):
        started = time.perf_counter()
        left = seconds - (started - began)
        if number and left < 1.5 * last:
            break
        solved = lp.solve(left)
        if solved is None:
            break
        bound, x, rc = solved
        settled = best - bound < SETTLED * bound
        best = min(best, bound)
        added, priced = lp.separate(x, stars), lp.price(rc)
        last = time.perf_counter() - started
        if report:
            report(number, bound, time.perf_counter() - began, added, priced)
        if (not added and not priced) or (number and settled):
            break
    return best
