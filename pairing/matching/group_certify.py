"""A clique relaxation bound for large group rounds: the heuristic's certificate.

Every grouping the size rule allows uses groups of k members, with at most k - 1 groups
of k + 1 or at most k - 1 of k - 1 (``group_sizes``), each an allowed clique. Relaxed to
fractions: choose cliques C of sizes k - 1, k, k + 1 with x_C >= 0, each member in at
most one (in sum), at most k - 1 of each size other than k. By LP duality, any u >= 0
(members) and mu >= 0 (those two sizes; mu_k = 0) with u(C) + mu_|C| >= score(C) for
every allowed clique prove that every grouping is worth at most

    sum(u) + (k - 1) (mu_{k-1} + mu_{k+1}),

the LP's optimum when the duals are the LP's.

The duals come from column generation: HiGHS's interior point method on a pool of
cliques, priced by growing a clique greedily from each member and each of its best few
partners, then swapping members while that gains. Greedy pricing can miss cliques, so
the LP's duals need not be feasible: they are repaired, size by size. With mu set aside,
a clique C of size s is worth v(C) = score(C) - u(C) over its duals, and a grouping has
at most G_s groups of size s (n // k of size k, k - 1 of the others). For any threshold
theta_s >= 0, each member i gets delta_i >= (v(C) - theta_s) / s for every clique C
holding it with v(C) > theta_s, found by exact enumeration (branch and bound on both
cores, the duals folded into the pair scores so that most branches die at once). Then
every group of size s is worth at most u(C) + delta(C) + theta_s, and every grouping at
most

    sum(u) + sum over sizes of (sum(delta) + G_s theta_s).

theta_s = 0 is the plain repair (every violated clique paid by its members); theta_s at
the largest excess is the Lagrangian bound. The repair tries the LP's own first: theta_k
= 0 and theta_s = mu_s for the capped sizes (from settled duals the lowest, and quick for
k = 4 and 5, where it is the bound above); past a quarter of the node limit,
it tries theta_s from above every clique's worth down, halving, and keeps the lowest:
high thresholds prune almost every branch, and lowering stops at the node limit or when
a step gains less than ``GAIN`` of the bound. So the bound holds from any duals, and the
LP may stop at its time limit: unsettled duals give a weaker bound, not none. Only when
the first threshold of a size passes the node limit is there no bound from here, and the
caller keeps its own.

On generated cohorts of 1,000 members (``bench/group_table.py``) the bound is within
about 0.3 % of the LP optimum for k = 4 and 5 (where the pair relaxation of
``group_bound`` is 5-8 % above it). For k = 6, seed 0: the LP settles in about 73 s at
70,416; from there the thresholds give 72,106 (theta 10, 6 s), 71,276 (5, 10 s) and
70,578 (0.5, 31 s), where theta = 0 alone would pass 30 million nodes; the pair
relaxation is 75,888.
"""

from __future__ import annotations

import math
import time

import numpy as np
from numba import njit, prange
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

from .cliques import half_top, top_sum

STARTS = 5  # greedy cliques per member per pricing round (from its best partners)
ROUNDS = 60  # pricing rounds at most
STALL = 1e-4  # stop when three rounds together raised the LP by less than this share
# (once it has risen at all: the first rounds can leave it at the grouping's value)
NODE_LIMIT = 40_000_000  # search nodes for the whole repair (about 30 s on 2 cores)
FIRST_NODES = NODE_LIMIT // 4  # of which the first threshold tried may use this many
GAIN = 0.001  # the repair stops lowering theta when a step gains less than this share
LEFT_OUT = 0.02  # no repair when the LP leaves out more than this share of members,
LEFT_OUT_FEW = 20  # and more than this many (fewer are quick to search)
CHUNKS = 64  # the repair's roots are split into this many interleaved parts


@njit(parallel=True, cache=True)
def _greedy(adj, w, u, s, mu, starts, out, found):
    """For each member i and each of its ``starts`` best partners j (by w_ij - u_j): the
    clique grown from {i, j} by the best addition, then improved by single swaps; kept
    (``found``) if it is worth more than its duals plus ``mu``."""
    n = adj.shape[0]
    for i in prange(n):
        gain = np.empty(n)
        ok = np.empty(n, np.bool_)
        q = np.empty(s, np.int64)
        first = np.full(starts, -1, np.int64)
        worth = np.full(starts, -np.inf)
        for j in range(n):
            if adj[i, j] and w[i, j] - u[j] > worth.min():
                slot = np.argmin(worth)
                first[slot], worth[slot] = j, w[i, j] - u[j]
        for f in range(starts):
            found[i * starts + f] = False
            if first[f] < 0:
                continue
            for j in range(n):
                ok[j] = adj[i, j]
                gain[j] = w[i, j] - u[j]
            q[0] = i
            value = -u[i]
            size = 1
            pick = first[f]
            while True:
                q[size] = pick
                size += 1
                value += gain[pick]
                if size == s:
                    break
                for j in range(n):
                    ok[j] = ok[j] and adj[pick, j]
                    gain[j] += w[pick, j]
                ok[pick] = False
                pick, best = -1, -np.inf
                for j in range(n):
                    if ok[j] and gain[j] > best:
                        pick, best = j, gain[j]
                if pick < 0:
                    break
            if size < s:
                continue
            value += _swaps(adj, w, u, q, s, n)
            if value - mu > 1e-6:
                out[i * starts + f, :] = np.sort(q)
                found[i * starts + f] = True


@njit(cache=True)
def _swaps(adj, w, u, q, s, n):
    """Replace members of clique ``q`` (but the first) while that gains; returns the gain."""
    total = 0.0
    improved = True
    while improved:
        improved = False
        for p in range(1, s):
            here = -u[q[p]]
            for t in range(s):
                if t != p:
                    here += w[q[p], q[t]]
            best, pick = here + 1e-9, -1
            for j in range(n):
                c = -u[j]
                fits = True
                for t in range(s):
                    if t != p and (q[t] == j or not adj[j, q[t]]):
                        fits = False
                        break
                    if t != p:
                        c += w[j, q[t]]
                if fits and c > best:
                    best, pick = c, j
            if pick >= 0:
                total += best - here
                q[p] = pick
                improved = True
    return total


@njit(parallel=True, cache=True)
def _violations(adj, wf, top, s, theta, chunks, node_limit, delta):
    """delta[c, i]: the largest (worth - theta) / s over the cliques of size ``s`` holding
    i whose worth (sum of ``wf`` over their pairs) exceeds theta, found from the roots
    c, c + chunks, ...; returns the nodes each part searched (over ``node_limit``: it
    stopped there)."""
    n = adj.shape[0]
    nodes = np.zeros(chunks, np.int64)
    for c in prange(chunks):
        cand = np.empty((s, n), np.int64)
        gain = np.empty((s, n), np.float64)
        ncand = np.zeros(s, np.int64)
        pos = np.zeros(s, np.int64)
        worth = np.zeros(s, np.float64)
        chosen = np.empty(s, np.int64)
        scratch = np.empty(n, np.float64)
        for root in range(c, n, chunks):
            chosen[0] = root
            m = 0
            for v in range(root + 1, n):
                if adj[root, v]:
                    cand[1, m] = v
                    gain[1, v] = wf[root, v]
                    m += 1
            ncand[1], pos[1], worth[1] = m, 0, 0.0
            d = 1
            while d >= 1 and nodes[c] <= node_limit:
                r = s - d  # members still to add, this one included
                i = pos[d]
                if i >= ncand[d] or ncand[d] - i < r:
                    d -= 1
                    continue
                pos[d] = i + 1
                v = cand[d, i]
                here = worth[d] + gain[d, v]
                chosen[d] = v
                if r == 1:
                    if here > theta:
                        excess = (here - theta) / s
                        for t in range(s):
                            if excess > delta[c, chosen[t]]:
                                delta[c, chosen[t]] = excess
                    continue
                nodes[c] += 1
                m = 0
                for t in range(i + 1, ncand[d]):
                    x = cand[d, t]
                    if adj[v, x]:
                        cand[d + 1, m] = x
                        gain[d + 1, x] = gain[d, x] + wf[v, x]
                        scratch[m] = gain[d + 1, x] + top[x, r - 2]
                        m += 1
                if m < r - 1:
                    continue
                # The best r - 1 additions, each with half its best pairs among them.
                if here + top_sum(scratch[:m], r - 1) <= theta:
                    continue
                ncand[d + 1], pos[d + 1], worth[d + 1] = m, 0, here
                d += 1
    return nodes


class _Pool:
    """Cliques (rows of sorted members) with their scores and a member-by-clique matrix."""

    def __init__(self, n: int, w: np.ndarray):
        self.n, self.w = n, w
        self.seen: set[bytes] = set()
        self.values = np.zeros(0)
        self.sizes = np.zeros(0, np.int64)
        self.matrix = csr_matrix((n, 0))

    def add(self, rows: np.ndarray) -> int:
        new = []
        for row in rows:
            key = row.tobytes()
            if key not in self.seen:
                self.seen.add(key)
                new.append(row)
        if not new:
            return 0
        block = np.array(new, np.int64)
        s = block.shape[1]
        a, b = np.triu_indices(s, 1)
        values = self.w[block[:, a], block[:, b]].sum(axis=1)
        cols = np.repeat(np.arange(len(block)) + len(self.values), s)
        add = csr_matrix((np.ones(block.size), (block.ravel(), cols)),
                         shape=(self.n, len(self.values) + len(block)))  # fmt: skip
        self.matrix.resize((self.n, len(self.values) + len(block)))
        self.matrix = (self.matrix + add).tocsr()
        self.values = np.concatenate([self.values, values])
        self.sizes = np.concatenate([self.sizes, np.full(len(block), s)])
        return len(block)


def _lp(pool: _Pool, k: int, caps: dict[int, int]):
    """(value, u, mu) of the master LP over the pool, or None if HiGHS gave no answer."""
    matrix, sizes = pool.matrix, pool.sizes
    capped = sorted(caps)
    keep = np.isin(sizes, capped)
    cap_rows = csr_matrix(
        (np.ones(keep.sum()), (np.searchsorted(capped, sizes[keep]), np.flatnonzero(keep))),
        shape=(len(capped), len(sizes)),
    )
    rhs = np.concatenate([np.ones(pool.n), [caps[s] for s in capped]])
    res = linprog(-pool.values, A_ub=vstack([matrix, cap_rows]), b_ub=rhs,
                  bounds=(0, None), method="highs-ipm")  # fmt: skip
    if res.status != 0:
        return None
    duals = np.maximum(-res.ineqlin.marginals, 0.0)
    mu = dict.fromkeys((k - 1, k, k + 1), 0.0)
    mu.update(zip(capped, duals[pool.n :].tolist(), strict=True))
    return -res.fun, duals[: pool.n], mu


def clique_bound(adj: np.ndarray, score: np.ndarray, k: int, groups: list[list[int]],
                 seconds: float) -> int | None:  # fmt: skip
    """The bound of the module docstring for groups of ``k`` over the allowed-pair matrix
    ``adj`` and pair scores ``score`` (``groups``: a grouping to start from), or None if
    HiGHS failed or a size search passed its node limit. After ``seconds`` the LP stops
    where it is and its duals are repaired (a weaker bound, but a bound)."""
    n = len(adj)
    adj = adj.astype(np.bool_, copy=True)
    np.fill_diagonal(adj, False)
    w = np.array(score, dtype=np.float64)
    np.fill_diagonal(w, 0.0)
    sizes = [s for s in (k - 1, k, k + 1) if 2 <= s <= n]
    caps = {s: k - 1 for s in sizes if s != k}
    deadline = time.monotonic() + seconds
    pool = _Pool(n, w)
    u = np.zeros(n)
    for s in sizes:
        pool.add(np.array([sorted(g) for g in groups if len(g) == s], np.int64).reshape(-1, s))
    for g in groups:  # start from each member's share of its group's score
        u[g] = w[np.ix_(g, g)].sum() / 2 / len(g)
    mu = dict.fromkeys(sizes, 0.0)
    values: list[float] = []
    for _ in range(ROUNDS):
        added = 0
        for s in sizes:
            starts = STARTS if s == k else 1  # at most k - 1 groups of the other sizes
            out = np.zeros((n * starts, s), np.int64)
            found = np.zeros(n * starts, np.bool_)
            _greedy(adj, w, u, s, mu[s], starts, out, found)
            added += pool.add(out[found])
        if not len(pool.values) or (values and not added):
            break
        answer = _lp(pool, k, caps)
        if answer is None:
            return None
        value, u, mu = answer
        values.append(value)
        if (
            len(values) > 3
            and values[-4] > values[0]
            and values[-1] - values[-4] < STALL * abs(values[-1])
        ):
            break
        if time.monotonic() > deadline:
            break
    if (u <= 1e-6).sum() > max(LEFT_OUT * n, LEFT_OUT_FEW):
        # Members the relaxation leaves out have no dual, so the cliques with them are
        # nearly tight by the hundred thousand (an organisation with 35 % of the
        # members, say): no threshold's search would finish, or the bound beat the pair
        # relaxation (1,000 members, k = 4-7: 40-75 s for none that did).
        return None
    # An LP that ran rounds without rising from the grouping's value has degenerate
    # duals (k = 7 at 1,000 members, three quarters of the members at 0, until greedy
    # pricing found nothing): the thresholds from the top would not near the pair bound.
    stuck = len(values) > 1 and values[-1] <= values[0] + 1e-6
    total = _repaired(adj, w, u, mu, caps, descend=not stuck)
    return None if total is None else math.floor(total + 1e-4)


def _repaired(adj, w, u, mu, caps, descend: bool = True) -> float | None:
    """The bound for the duals u once made feasible (module docstring), or None if a size
    passed the node limit at its first threshold (the LP's own, or, with ``descend``, the
    top one). ``mu`` names the sizes; the bound does not need its values (each size's
    threshold theta takes their place)."""
    n = len(u)
    total = float(u.sum())
    left = [NODE_LIMIT]  # shared by the sizes, the uncapped one first
    for s in sorted((t for t in mu if t <= n), key=lambda t: (t in caps, t)):
        # A clique's worth less its members' duals, as the sum of these over its pairs.
        wf = np.where(adj, w - (u[:, None] + u[None, :]) / (s - 1), -1e9)
        excess = _excess(adj, wf, s, caps.get(s, n // s), mu[s], GAIN * total, left, descend)
        if excess is None:
            return None
        total += excess
    return total


def _excess(
    adj, wf, s: int, groups: int, first: float, gain: float, left: list[int], descend: bool
) -> float | None:
    """The least, over the thresholds tried, of sum(delta) + groups x theta (module
    docstring) for cliques of size ``s`` worth ``wf`` over their pairs, of which a
    grouping has at most ``groups``. theta = ``first`` is tried first (the LP's dual for
    the size: 0 for k, whose count is not capped); then, if it failed and ``descend``,
    from the top down, until a step gains less than ``gain`` or the search nodes
    ``left[0]`` run out. The first
    step from the top prunes at the roots, so it is searched whatever is left (None if
    even it passed ``NODE_LIMIT``)."""
    n = len(wf)
    top = half_top(wf, s)  # wf is -1e9 where a pair is not allowed
    order = np.argsort(-top[:, s - 1], kind="stable")  # promising roots first
    a = np.ascontiguousarray(adj[np.ix_(order, order)])
    wo = np.ascontiguousarray(wf[np.ix_(order, order)])

    def excess(theta: float, limit: int) -> float | None:
        part = np.zeros((CHUNKS, n))
        chunk = 2 * limit // CHUNKS  # the parts differ in size
        nodes = _violations(a, wo, top[order], s, theta - 1e-6, CHUNKS, chunk, part)
        left[0] -= int(nodes.sum())
        if (nodes > chunk).any() or nodes.sum() > limit:
            return None
        return float(part.max(axis=0).sum()) + groups * theta

    # The LP's own threshold first, with a quarter of the nodes: from settled duals it is
    # the lowest, and quick for k = 4 and 5.
    best = excess(max(first, 0.0), min(left[0], FIRST_NODES))
    if best is not None or not descend:
        return best
    # Else from above every clique's worth (no clique is worth more than its members'
    # top sums: the search's own bound), so the first step prunes at the roots.
    theta = max(float(top[:, s - 1].max()) * s, 0.0)
    while True:
        here = excess(theta, NODE_LIMIT if best is None else left[0])
        if here is None or (best is not None and best - here <= gain) or theta == 0.0:
            return here if best is None else best if here is None else min(best, here)
        best = here
        theta = theta / 2 if theta > 1e-3 else 0.0
