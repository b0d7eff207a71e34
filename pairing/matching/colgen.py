"""Set partitioning over cliques by column generation, closed by reduced-cost enumeration.

The master problem picks disjoint allowed cliques (columns) worth their score (or, for
the placement bound, their size), with exactly ``counts[s]`` cliques of each size s. Its
linear relaxation is solved over a growing pool of columns (HiGHS through
``scipy.optimize.linprog``); the duals y (members) and mu (sizes) price new cliques
exactly with ``cliques.search``. For any
y >= 0, every grouping is worth at most

    L(y) = sum(y) + sum_s counts[s] * rho_s,   rho_s = max over size-s cliques of
                                                         (score - y over its members),

a Lagrangian bound that is valid before the LP has converged. A grouping worth more
than ``incumbent`` can only use cliques whose worth is within L - incumbent - 1 of rho_s
(scores are integers), so enumerating those, adding the incumbent's and finding the best
grouping over them proves the optimum. Artificial columns (one per size, worth -big)
keep the master feasible; if they remain once pricing finds nothing, the counts cannot
be met even fractionally. The best grouping over the enumerated cliques comes from a search on their
reduced costs (``cover``), or, while no grouping is known, a MILP (highspy, ``highs_milp``:
its LP shows at once when there is none, where the search can take minutes).

Subset-row cuts (for three members, at most one chosen clique holds two or more of them)
tighten the relaxation: pricing charges a clique the duals sigma_T of the cuts it hits
twice, and L gains sum(sigma). On the placement master they prove a placed count
impossible where the plain LP allows it (``rule_out``); on the score master they lower
the bound, so the enumeration has less to cover (``tighten``).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix, vstack

from .cliques import search
from .cover import best_grouping
from .highs_milp import maximise_binary

PRICE_CAP = 60  # columns added per size per pricing round
FIRST_REACH = 4.0
EASY_COLUMNS = 3000
MILP_CAP = 20_000  # most columns given to one MILP (12,000 took HiGHS 6 s, 166,000 minutes)
# One MILP's or search's time at most: past it the best grouping found is kept, unproven.
MILP_TIME = 8.0
ENUM_CAP = MILP_CAP + 1  # the enumeration stops there
ROUNDS = 400  # pricing rounds at most (a safety net; about 20-60 are used)
TOL = 1e-6
CUT_ROUNDS = 12  # separation rounds when ruling out a placed count
CUT_CAP = 40  # cuts added per round
CUT_VIOLATION = 1e-3
CLOSE_ENOUGH = 2.0  # points between bound and incumbent where cutting stops (``tighten``)
ROUND_GROWTH = 4.0  # a cut round's time at most, as a multiple of the longest before it


class SolverFailed(RuntimeError):
    """HiGHS returned no usable answer for a linear relaxation."""


@dataclass
class Pool:
    """Columns of the master problem: cliques (sorted member tuples) of the wanted sizes,
    with their scores (over ``w``)."""

    w: np.ndarray
    members: list[tuple[int, ...]] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    seen: set[tuple[int, ...]] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.w)

    def add(self, rows) -> int:
        new = 0
        for row in rows:
            key = tuple(int(v) for v in row)
            if key not in self.seen:
                self.seen.add(key)
                self.members.append(key)
                self.values.append(clique_value(self.w, key))
                new += 1
        return new

    def arrays(self, placement: bool):
        size = np.array([len(m) for m in self.members], np.int64)
        rows = np.fromiter((v for m in self.members for v in m), np.int64, int(size.sum()))
        cols = np.repeat(np.arange(len(size)), size)
        matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(self.n, len(size)))
        if placement:
            return matrix, size, size.astype(np.float64)
        return matrix, size, np.array(self.values, np.float64)


def clique_value(w: np.ndarray, members: tuple[int, ...]) -> float:
    return float(sum(w[a, b] for x, a in enumerate(members) for b in members[x + 1 :]))


@dataclass
class Relaxation:
    """The master LP's answer: value, duals, the Lagrangian bound and its rho per size."""

    value: float
    y: np.ndarray
    mu: dict[int, float]
    bound: float
    rho: dict[int, float]
    artificial: float
    converged: bool
    sigma: np.ndarray  # the duals of the subset-row cuts ``cuts`` in force
    cuts: np.ndarray


class Master:
    """Column generation over cliques of ``sizes``. Scores (``placement`` False): exactly
    ``counts[s]`` cliques of each size s. Placement: cliques worth their size, at most
    ``counts[s]`` of each size, or any number with ``counts`` None."""

    def __init__(self, adj, w, sizes, counts: dict[int, int] | None, placement: bool):
        self.adj, self.w = adj, (np.zeros_like(w) if placement else w)
        self.score = w
        self.sizes = sorted(s for s in sizes if counts is None or counts.get(s, 0) > 0)
        self.counts = counts
        self.placement = placement
        self.pool = Pool(w)
        self.cuts = np.zeros((0, 3), np.int64)  # subset-row cuts (``rule_out``)
        self.sigma = np.zeros(0)  # their duals in the last LP
        self.x = np.zeros(0)  # the last LP's column values
        top = max(float(np.abs(w).max(initial=1.0)), 1.0)
        self.big = 1000.0 * top * max(self.sizes, default=2) ** 2

    def _lp(self):
        """(value, y, mu, artificial) of the master LP over the pool."""
        from scipy.optimize import linprog

        n = self.pool.n
        matrix, size, value = self.pool.arrays(self.placement)
        m = len(size)
        if m == 0 and self.placement:
            return 0.0, np.zeros(n), dict.fromkeys(self.sizes, 0.0), 0.0
        k = len(self.sizes) if self.counts is not None else 0
        extra = 0 if self.placement else k  # artificial columns, one per size
        a_mem = csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(n, m + extra))
        rows = np.concatenate([np.searchsorted(self.sizes, size), np.arange(extra)])
        cols = np.arange(m + extra)
        if not k:
            rows = cols = np.zeros(0, np.int64)
        a_cnt = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(k, m + extra))
        want = np.array([self.counts[s] for s in self.sizes] if k else [], np.float64)
        cost = np.concatenate([-value, np.full(extra, self.big)])
        if self.placement:
            a_cut = self._cut_rows(matrix, m + extra)
            b_ub = np.concatenate([np.ones(n), want, np.ones(len(self.cuts))])
            res = linprog(cost, A_ub=vstack([a_mem, a_cnt, a_cut]), b_ub=b_ub,
                          bounds=(0, None), method="highs")  # fmt: skip
        else:
            a_cut = self._cut_rows(matrix, m + extra)
            res = linprog(cost, A_ub=vstack([a_mem, a_cut]),
                          b_ub=np.ones(n + len(self.cuts)), A_eq=a_cnt, b_eq=want,
                          bounds=(0, None), method="highs")  # fmt: skip
        if res.status != 0:
            raise SolverFailed(getattr(res, "message", "HiGHS failed"))
        duals = -res.ineqlin.marginals
        self.x = res.x[:m]
        if self.placement:
            mu = dict(zip(self.sizes, np.maximum(duals[n : n + k], 0.0).tolist(), strict=False))
            self.sigma = np.maximum(duals[n + k :], 0.0)
        else:
            mu = dict(zip(self.sizes, (-res.eqlin.marginals).tolist(), strict=True))
            self.sigma = np.maximum(duals[n:], 0.0)
        return -res.fun, np.maximum(duals[:n], 0.0), mu, float(res.x[m:].sum())

    def relax(self, deadline: float, stop_below: float = -math.inf) -> Relaxation:
        """Column generation until pricing finds nothing, the bound meets the LP, or the
        bound falls below ``stop_below``."""
        best: Relaxation | None = None
        for _ in range(ROUNDS):
            value, y, mu, art = self._lp()
            added, rho, exact = 0, {}, True
            for s in self.sizes:
                const = float(s) if self.placement else 0.0
                theta = mu.get(s, 0.0) - const + TOL
                rows, worth, complete = search(self.adj, self.w, y, s, theta, PRICE_CAP, True,
                                               cuts=self.cuts, sigma=self.sigma)  # fmt: skip
                exact &= complete
                rho[s] = (float(worth[0]) if len(worth) else theta) + const
                added += self.pool.add(rows)
            bound = self._bound(y, rho) if exact else np.inf
            if best is None or bound < best.bound:
                best = Relaxation(value, y, mu, bound, rho, art, False, self.sigma.copy(),
                                  self.cuts.copy())  # fmt: skip
            converged = exact and (added == 0 or bound - value < TOL)
            if converged or bound < stop_below or time.monotonic() > deadline:
                break
        assert best is not None
        best.value, best.artificial, best.converged = value, art, converged
        return best

    def _bound(self, y: np.ndarray, rho: dict[int, float]) -> float:
        if self.counts is None:
            # Any number of cliques: at most n / smallest size of them, each worth <= rho.
            most = self.pool.n // min(self.sizes)
            return float(y.sum()) + most * max(0.0, max(rho.values()))
        if self.placement:  # at most counts[s] of each size; each cut's right side is 1
            return float(y.sum() + self.sigma.sum()) + sum(
                self.counts[s] * max(rho[s], 0.0) for s in self.sizes
            )
        return float(y.sum() + self.sigma.sum()) + sum(
            self.counts[s] * max(rho[s], -self.big) for s in self.sizes
        )

    def _cut_rows(self, matrix, width: int) -> csr_matrix:
        """Subset-row cuts over the pool: a column is in a cut's row when it holds two or
        more of the cut's three members."""
        if not len(self.cuts):
            return csr_matrix((0, width))
        dense_cols = matrix.T.tocsr()
        hits = sum(dense_cols[:, self.cuts[:, q]] for q in range(3)).toarray()
        rows, cols = np.nonzero(hits.T >= 2)
        return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.cuts), width))

    def rule_out(self, target: float, deadline: float) -> bool:
        """True if no integer choice of columns places ``target`` members (placement
        master only): the LP with subset-row cuts (for three members, at most one chosen
        clique holds two or more of them), priced exactly with the cut duals, has a
        Lagrangian bound below ``target``. False when that could not be shown."""
        assert self.placement and self.counts is not None
        for _ in range(CUT_ROUNDS):
            rel = self.relax(deadline, stop_below=target - TOL)
            if rel.bound < target - TOL:
                return True
            if not rel.converged or time.monotonic() > deadline:
                return False
            new = self._separate()
            if not len(new):
                return False
            self.cuts = np.concatenate([self.cuts, new])
        return False

    def tighten(
        self, rel: Relaxation, deadline: float, rounds: int, incumbent: float = -math.inf
    ) -> Relaxation:
        """Subset-row cuts on the score master: up to ``rounds`` rounds of separation and
        column generation while they lower the bound by a point or more; returns the
        relaxation with the lowest bound (every one is a valid Lagrangian bound).

        It stops once the bound is within ``CLOSE_ENOUGH`` points of ``incumbent`` (the
        enumeration then has little to cover), and gives a round at most a few times the
        longest one before it (pricing slows as cuts accumulate: a 24-second round that
        lowered the bound by one point was seen where the enumeration then took 0.2 s)."""
        spent = 0.5
        for _ in range(rounds):
            if not rel.converged or time.monotonic() > deadline:
                break
            if rel.bound - incumbent <= CLOSE_ENOUGH:
                break
            new = self._separate()
            if not len(new):
                break
            self.cuts = np.concatenate([self.cuts, new])
            started = time.monotonic()
            again = self.relax(min(deadline, started + ROUND_GROWTH * spent))
            spent = max(spent, time.monotonic() - started)
            if again.bound >= rel.bound - 1.0:
                rel = again if again.bound < rel.bound else rel
                break
            rel = again
        return rel

    def _separate(self) -> np.ndarray:
        """The most violated subset-row cuts (up to ``CUT_CAP``) of the last LP solution."""
        used = np.flatnonzero(self.x > TOL)
        if not len(used):
            return np.zeros((0, 3), np.int64)
        member = np.zeros((self.pool.n, len(used)), np.int8)
        for c, col in enumerate(used):
            member[list(self.pool.members[col]), c] = 1
        # Members in two or more fractional columns are the only ones a cut can bind.
        frac = self.x[used] < 1 - TOL
        active = np.flatnonzero(member[:, frac].sum(axis=1) >= 2)
        if len(active) < 3:
            return np.zeros((0, 3), np.int64)
        triples = np.array(list(itertools.combinations(active.tolist(), 3)), np.int64)
        have = {tuple(t) for t in self.cuts.tolist()}
        found, value = [], []
        for start in range(0, len(triples), 20_000):
            part = triples[start : start + 20_000]
            hits = member[part[:, 0]] + member[part[:, 1]] + member[part[:, 2]]
            lhs = (hits >= 2) @ self.x[used]
            keep = np.flatnonzero(lhs > 1 + CUT_VIOLATION)
            found.append(part[keep])
            value.append(lhs[keep])
        cand, lhs = np.concatenate(found), np.concatenate(value)
        chosen = []
        for i in np.argsort(-lhs, kind="stable"):
            if tuple(cand[i]) not in have:
                chosen.append(cand[i])
            if len(chosen) >= CUT_CAP:
                break
        return np.array(chosen, np.int64).reshape(-1, 3)

    def seed(self, groups: list[list[int]]) -> None:
        self.pool.add(sorted(g) for g in groups if len(g) in self.sizes)

    def integer(self, seconds: float, columns=None):
        """Best integer choice over the pool (or ``columns``) meeting the counts, as
        (groups, value, proven): proven is False when HiGHS ran out of time; groups is
        None when it found none (then proven says that there is none)."""
        pool = self.pool if columns is None else columns
        matrix, size, value = pool.arrays(False)
        if len(size) == 0:
            return None, -math.inf, True
        k = len(self.sizes)
        rows = np.searchsorted(self.sizes, size)
        per_size = csr_matrix((np.ones(len(size)), (rows, np.arange(len(size)))),
                              shape=(k, len(size)))  # fmt: skip
        want = np.array([self.counts[s] for s in self.sizes], np.float64)
        each = (matrix, np.zeros(matrix.shape[0]), np.ones(matrix.shape[0]))  # at most once
        x, proven = maximise_binary(value, [each, (per_size, want, want)], seconds)
        if x is None:
            return None, -math.inf, proven
        chosen = np.flatnonzero(x > 0.5)
        groups = [list(pool.members[c]) for c in chosen]
        return groups, round(float(value[chosen].sum())), proven

    def close_gap(self, rel: Relaxation, deadline: float, incumbent: tuple | None = None,
                  good_enough: float | None = None):  # fmt: skip
        """The optimum, by enumerating every clique that could be in a better grouping
        than the best known (``incumbent``: groups, value). Returns (groups, value,
        proven); groups is None if none was found.

        A grouping better than ``value`` only uses cliques within ``gap`` of rho; the
        cliques within a smaller ``reach`` usually hold it, and their MILP is much
        smaller: so reach doubles from a few points until it covers the gap left. With
        ``good_enough`` (a share of the bound), a grouping worth that share is kept
        unproven rather than solving a MILP of more than ``EASY_COLUMNS`` columns.

        Returns (groups, value, proven, bound). Each MILP solved to the end over every
        clique within ``reach`` also lowers the bound: a grouping is worth L minus what
        its cliques fall short of rho (and what its unplaced members' duals and unused
        cuts leave out), so one worth L - reach or more holds only cliques within reach,
        and the MILP has seen it. Every grouping is then worth at most the larger of the
        MILP's optimum and the largest whole number below L - reach.
        """
        groups, value = incumbent if incumbent is not None else (None, -math.inf)
        bound = rel.bound  # lowered by each MILP solved over a complete reach
        reach, last = FIRST_REACH, -1
        # A reach this wide takes every clique (worths lie within sum |w| + sum y of rho).
        everything = 2.0 * (np.abs(self.w).sum() + rel.y.sum()) + 1.0
        while True:
            gap = rel.bound - value - 1.0
            if gap < -TOL:
                return groups, value, True, value
            reach = min(reach, gap)
            pool = Pool(self.score)
            pool.add(sorted(g) for g in groups or ())
            complete = True
            for s in self.sizes:
                theta = rel.rho[s] - reach - 1e-6 - (float(s) if self.placement else 0.0)
                rows, _, done = search(self.adj, self.w, rel.y, s, theta,
                                       max(ENUM_CAP - len(pool.members), 1), False,
                                       cuts=rel.cuts, sigma=rel.sigma)  # fmt: skip
                pool.add(rows)
                complete &= done
            if len(pool.members) == last:  # nothing new within this reach: the last MILP
                if reach >= min(rel.bound - value - 1.0, everything) - TOL:  # covered it
                    return groups, value, True, value
                bound = min(bound, max(value, _below(rel.bound - reach)))
                reach *= 2
                continue
            last = len(pool.members)
            if len(pool.members) > MILP_CAP:
                return groups, value, False, bound  # too large a MILP to finish in time
            large = good_enough is not None and len(pool.members) > EASY_COLUMNS
            if large and value >= good_enough * bound:
                return groups, value, False, bound  # near-optimal; proof too costly
            seconds = min(deadline - time.monotonic(), MILP_TIME)
            if groups is None:  # HiGHS's LP shows at once when there is no grouping
                found, worth, done = self.integer(seconds, pool)
            else:  # a better one than the incumbent (``cover``)
                found, worth, done = best_grouping(pool.members, pool.values, self.counts,
                                                   rel, value, seconds)  # fmt: skip
            if found is not None and worth > value:
                groups, value = found, worth
            if not done or not complete:
                return groups, value, False, bound  # out of time, or too many columns
            if reach >= rel.bound - value - 1.0 - TOL:
                return groups, value, True, value
            bound = min(bound, max(value, _below(rel.bound - reach)))
            if time.monotonic() > deadline:
                return groups, value, False, bound
            reach *= 2  # (one MILP over the whole gap at once was slower: 86 s against 33)


def _below(x: float) -> float:
    """The largest whole number below ``x`` (scores are whole numbers)."""
    return float(math.ceil(x - 1e-6) - 1)
