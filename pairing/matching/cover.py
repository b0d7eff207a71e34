"""The best grouping over a pool of cliques, by depth-first search on reduced costs.

``colgen.Master.close_gap`` enumerates every clique within a reach of the relaxation's
rho and needs the best grouping among them: disjoint cliques, exactly ``counts[s]`` of
each size s, at most ``n - placed`` members left out. With the relaxation's duals (y for
members, sigma for subset-row cuts) and its Lagrangian bound L, each clique C of size s
falls short of rho_s by

    dev(C) = rho_s + y(C) + sigma over the cuts C holds two of - score(C) >= 0,

and every grouping P is worth exactly L minus the devs of its cliques, minus the y of the
members it leaves out, minus the sigma of the cuts it leaves slack: at most
L - dev(P) - y(left out). The search places members one at a time, the one with the
fewest cliques left first (the exact-cover rule of Knuth's Algorithm X), trying its
cliques cheapest dev first, and prunes a branch once L - dev so far - (what the members
still to place must cost at least) cannot beat the best grouping by a point (scores are
whole numbers). What they must cost: the largest of their cheapest cliques (one clique
holds each), and the sum over them of their cheapest clique's dev over the largest size.

Measured on the benchmark's k = 7, N = 80 cohort 10 (``bench/group_table.py``, 2 cores),
whose MILP over 15,170 cliques took HiGHS 17-37 s: 1.0-1.7 s (15,000-23,000 nodes) to
its optimum, 5,338, from the incumbent 5,314. Asked to beat 5,337 over wider reaches of
the same cohort: 1.9 s over 31,733 cliques, but 85 s over 59,106, so the caller's time
limit still applies.
"""

from __future__ import annotations

import math
import time

import numpy as np
from numba import njit, objmode

CHECK = 2048  # nodes between looks at the clock


@njit(cache=True)
def _now():
    with objmode(t="float64"):
        t = time.monotonic()
    return t


@njit(cache=True)
def _disjoint(masks, a, b):
    q = 0
    while q < masks.shape[1] and not masks[a, q] & masks[b, q]:
        q += 1
    return q == masks.shape[1]


@njit(cache=True)
def _node(alive, covered, left, dev_sum, worth, leave, chosen, depth, cols, st, best):
    """One node: ``alive`` the cliques disjoint from those chosen, ``covered`` their
    members (and those left out), ``left`` the groups still wanted per size index.
    ``st``: [best worth, nodes, depth of the best, deadline, nodes allowed, stopped]."""
    masks, size, dev, score, members, y, bound = cols
    if st[5] > 0:
        return
    st[1] += 1
    if st[1] > st[4] or (st[1] % CHECK == 0 and _now() > st[3]):
        st[5] = 1.0
        return
    if left.sum() == 0:
        if worth > st[0] + 0.5:
            st[0], st[2] = worth, depth
            best[:depth] = chosen[:depth]
        return
    budget = bound - dev_sum - (st[0] + 1.0) + 1e-6
    n, width = len(y), members.shape[1]
    count = np.zeros(n, np.int64)
    cheapest = np.full(n, np.inf)
    keep = np.empty(len(alive), np.int64)
    kept = 0
    for c in alive:
        if dev[c] > budget or left[size[c]] == 0:
            continue
        keep[kept] = c
        kept += 1
        for q in range(width):
            v = members[c, q]
            if v < 0:
                break
            count[v] += 1
            cheapest[v] = min(cheapest[v], dev[c])
    most, total, pick = 0.0, 0.0, -1
    for v in range(n):
        if (covered[v >> 6] >> np.uint64(v & 63)) & np.uint64(1):
            continue
        cost = min(cheapest[v], y[v]) if leave > 0 else cheapest[v]
        if cost == np.inf:
            return  # v can be neither placed nor left out
        most = max(most, cost)
        total += cost / width if cost > 0 else cost
        if (
            pick < 0
            or count[v] < count[pick]
            or (count[v] == count[pick] and cheapest[v] > cheapest[pick])
        ):
            pick = v
    if most > budget or total > budget:
        return
    holding = np.empty(count[pick], np.int64)
    h = 0
    for c in keep[:kept]:
        for q in range(width):
            if members[c, q] == pick:
                holding[h] = c
                h += 1
                break
    for c in holding[np.argsort(dev[holding], kind="mergesort")]:
        if dev[c] > bound - dev_sum - (st[0] + 1.0) + 1e-6:
            break  # and every clique after it (the best may have risen meanwhile)
        child = np.empty(kept, np.int64)
        nc = 0
        for d in keep[:kept]:
            if _disjoint(masks, c, d):
                child[nc] = d
                nc += 1
        left[size[c]] -= 1
        chosen[depth] = c
        _node(child[:nc], covered | masks[c], left, dev_sum + dev[c], worth + score[c],
              leave, chosen, depth + 1, cols, st, best)  # fmt: skip
        left[size[c]] += 1
    if leave > 0 and y[pick] <= bound - dev_sum - (st[0] + 1.0) + 1e-6:
        out = covered.copy()
        out[pick >> 6] |= np.uint64(1) << np.uint64(pick & 63)
        child = np.empty(kept, np.int64)
        nc = 0
        for d in keep[:kept]:
            if not (masks[d, pick >> 6] >> np.uint64(pick & 63)) & np.uint64(1):
                child[nc] = d
                nc += 1
        _node(child[:nc], out, left, dev_sum + y[pick], worth, leave - 1, chosen, depth,
              cols, st, best)  # fmt: skip


@njit(cache=True)
def _shortfall(members, size, score, y, rho, cut_masks, sigma):
    """dev(C) for every clique (see the module docstring)."""
    m, width = members.shape
    dev = np.empty(m)
    for c in range(m):
        over = rho[size[c]] - score[c]
        for q in range(width):
            if members[c, q] >= 0:
                over += y[members[c, q]]
        for t in range(len(sigma)):
            hit = 0
            for q in range(width):
                v = members[c, q]
                if v >= 0 and (cut_masks[t, v >> 6] >> np.uint64(v & 63)) & np.uint64(1):
                    hit += 1
            if hit >= 2:
                over += sigma[t]
        dev[c] = over
    return dev


def _masks(groups, n: int) -> np.ndarray:
    masks = np.zeros((len(groups), (n + 63) // 64), np.uint64)
    for j, g in enumerate(groups):
        for v in g:
            masks[j, v >> 6] |= np.uint64(1) << np.uint64(v & 63)
    return masks


def best_grouping(
    columns: list[tuple[int, ...]],
    scores: list[float],
    counts: dict[int, int],
    rel,
    better_than: float,
    seconds: float,
    node_limit: int = 1 << 62,
):
    """The best grouping over ``columns`` worth more than ``better_than``, using the
    relaxation ``rel`` (``colgen.Relaxation``) to prune. Returns (groups, value,
    complete): groups is None if none beats ``better_than``; complete is False when the
    time or ``node_limit`` ran out first (then a better one may exist)."""
    sizes = sorted(s for s, c in counts.items() if c > 0)
    n = len(rel.y)
    keep = [j for j, c in enumerate(columns) if len(c) in sizes]
    if not keep:
        return None, -math.inf, True
    groups = [columns[j] for j in keep]
    width = max(sizes)
    members = np.full((len(groups), width), -1, np.int64)
    for j, g in enumerate(groups):
        members[j, : len(g)] = g
    masks = _masks(groups, n)
    size = np.array([sizes.index(len(g)) for g in groups], np.int64)
    score = np.array([scores[j] for j in keep], np.float64)
    y = np.asarray(rel.y, np.float64)
    rho = np.array([rel.rho[s] for s in sizes], np.float64)
    sigma = np.asarray(rel.sigma, np.float64)
    dev = _shortfall(members, size, score, y, rho, _masks(rel.cuts.tolist(), n), sigma)
    placed = sum(counts[s] * s for s in sizes)
    st = np.array([float(better_than), 0.0, 0.0, time.monotonic() + seconds,
                   float(node_limit), 0.0])  # fmt: skip
    chosen = np.zeros(n + 1, np.int64)
    best = np.zeros(n + 1, np.int64)
    left = np.array([counts[s] for s in sizes], np.int64)
    cols = (masks, size, dev, score, members, y, float(rel.bound))
    _node(np.arange(len(groups), dtype=np.int64), np.zeros(masks.shape[1], np.uint64), left,
          0.0, 0.0, n - placed, chosen, 0, cols, st, best)  # fmt: skip
    complete = st[5] == 0
    if st[0] <= better_than:
        return None, -math.inf, complete
    return [list(groups[c]) for c in best[: int(st[2])]], round(st[0]), complete
