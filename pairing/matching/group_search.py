"""Large groups: hardest-first greedy construction, then annealed swaps (``group_anneal``,
up to ``ANNEAL_MAX`` members, on dense matrices) or, above that, vectorised swap search.

Members with the fewest allowed partners seed groups first (an in-person member in a
sparse region has few chances; an online member has thousands), and a group grows by the
candidate allowed with everyone already in it that adds the most score. Every addition is
checked against the hard rules, so the output is rule-clean by construction. The bound
is the lower of two: half the sum, over members, of their best (k_max - 1) positive pair
scores (a group's score is half the sum of its members' scores with the others), and the
degree-limited relaxation of ``group_bound``, which charges each pair once (reached by
coordinate descent, and up to 2,000 members also solved exactly by ``group_pairlp``).
"""

from __future__ import annotations

import time

import numpy as np

from . import scan
from .group_anneal import ANNEAL_MAX, anneal
from .group_bound import relaxation_bound
from .group_pairlp import pair_lp_bound
from .group_sizes import composition, feasible_counts
from .problem import Problem
from .scoring import dense, pair_allowed, pair_score

K_GROUPS = 24
SEARCH_SECONDS = 12.0
GREEDY_RETRIES = 4


def heuristic_groups(p: Problem, polish: bool = True) -> tuple[list[list[int]], int, np.ndarray]:
    """Greedy groups, then annealed (``polish``, up to ``ANNEAL_MAX``) or swapped.

    The exact method (up to 80 members) asks for no annealing: its seeds are only first
    columns, and with annealed seeds one k = 7, N = 80 cohort ran into the 30 s safety net
    with 66 placed where the plain seeds led to 77.
    """
    k = p.group_size
    idx, w, cnt, deg = scan.top_candidates(p, max(K_GROUPS, k + 1))
    usable = (deg >= max(1, k - 2)).sum()
    # Each member's best partners, or the relaxation (group_bound: by descent; up to
    # LP_MAX members also solved exactly, group_pairlp), whichever is lower.
    relaxed = min(relaxation_bound(p, idx, w, cnt), pair_lp_bound(p, idx, w, cnt))
    bound = min(_bound(w, cnt, k + 1), int(np.floor(relaxed + 1e-6)))
    target = int(usable)
    groups: list[list[int]] = []
    for _ in range(GREEDY_RETRIES):
        counts = feasible_counts(target, k)
        if not counts:
            break
        sizes = sorted((s for s, c in composition(counts[0], k).items() for _ in range(c)),
                       reverse=True)  # fmt: skip
        groups, missing = _greedy(p, idx, cnt, deg, sizes)
        if not missing:
            break
        # Some seeds could not be completed: aim lower, by what went unplaced.
        target = sum(map(len, groups))
    if composition(sum(map(len, groups)), k) != _size_counts(groups):
        groups = [g for g in groups if len(g) == k]  # k-sized groups always fit the rule
    if polish and p.n <= ANNEAL_MAX:
        allowed, score = dense(p)
        groups = anneal(score, allowed, groups, idx, cnt, p.seed, group_size=k)
    else:
        groups = _swap_search(p, groups, idx, cnt)
    return groups, bound, deg


def _size_counts(groups: list[list[int]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for g in groups:
        out[len(g)] = out.get(len(g), 0) + 1
    return out


def _bound(w: np.ndarray, cnt: np.ndarray, largest: int) -> int:
    take = min(largest - 1, w.shape[1])
    cols = np.arange(take)[None, :] < cnt[:, None]
    best = np.where(cols, np.maximum(w[:, :take], 0), 0)
    return int(best.sum()) // 2


def _greedy(p: Problem, idx, cnt, deg, sizes: list[int]) -> tuple[list[list[int]], int]:
    """Fill each size slot from the hardest unassigned seed; returns groups, unfilled."""
    n = p.n
    free = np.ones(n, np.bool_)
    order = np.lexsort((np.arange(n), deg))
    order = order[deg[order] >= 1]
    groups, missing, cursor = [], 0, 0
    for size in sizes:
        group = None
        while cursor < len(order) and group is None:
            seed = int(order[cursor])
            cursor += 1
            if free[seed]:
                group = _grow(p, seed, size, free, idx, cnt)
        if group is None:
            missing += 1
            continue
        free[group] = False
        groups.append(sorted(group))
    return groups, missing


def _grow(p: Problem, seed: int, size: int, free, idx, cnt) -> list[int] | None:
    group = [seed]
    free[seed] = False
    while len(group) < size:
        pool = np.unique(np.concatenate([idx[m, : cnt[m]] for m in group]))
        pool = pool[free[pool]]
        pick = _best_addition(p, group, pool)
        if pick is None:
            # Candidate lists can run dry in sparse corners: look at everyone left.
            pick = _best_addition(p, group, np.flatnonzero(free))
        if pick is None:
            free[group] = True
            return None
        group.append(pick)
        free[pick] = False
    free[group] = True
    return group


def _best_addition(p: Problem, group: list[int], pool: np.ndarray) -> int | None:
    if len(pool) == 0:
        return None
    g = np.asarray(group)[None, :]
    c = pool[:, None]
    ok = pair_allowed(p, c, g).all(axis=1)
    if not ok.any():
        return None
    pool = pool[ok]
    gain = pair_score(p, pool[:, None], g).sum(axis=1)
    return int(pool[np.lexsort((pool, -gain))[0]])


def _swap_search(p: Problem, groups: list[list[int]], idx, cnt) -> list[list[int]]:
    """Swap two members of different groups when both groups stay allowed and gain."""
    if len(groups) < 2:
        return groups
    width = max(map(len, groups))
    table = np.full((len(groups), width), -1, np.int64)
    for g, members in enumerate(groups):
        table[g, : len(members)] = members
    home = np.full(p.n, -1, np.int64)
    for g, members in enumerate(groups):
        home[members] = g
    deadline = time.perf_counter() + SEARCH_SECONDS
    while time.perf_counter() < deadline:
        if not _swap_round(p, table, home, idx, cnt):
            break
    return [sorted(int(m) for m in row if m >= 0) for row in table]


def _proposals(table, home, idx, cnt):
    """(a, b): move a next to its candidate c by swapping it with b, c's group-mate."""
    n, k = idx.shape
    a = np.repeat(np.arange(n), k)
    c = idx.ravel()
    keep = (np.arange(k)[None, :] < cnt[:, None]).ravel() & (home[a] >= 0)
    a, c = a[keep], c[keep]
    keep = (home[c] >= 0) & (home[c] != home[a])
    a, c = a[keep], c[keep]
    width = table.shape[1]
    b = table[home[c]].ravel()
    a = np.repeat(a, width)
    c = np.repeat(c, width)
    keep = (b >= 0) & (b != c)
    pairs = np.unique(np.stack([a[keep], b[keep]], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _side_gain(p: Problem, table, home, out, into):
    """Gain and legality of replacing ``out`` by ``into`` in out's group."""
    mates = table[home[out]]
    live = (mates >= 0) & (mates != out[:, None])
    safe = np.where(live, mates, 0)
    ok = np.where(live, pair_allowed(p, into[:, None], safe), True).all(axis=1)
    delta = np.where(
        live, pair_score(p, into[:, None], safe) - pair_score(p, out[:, None], safe), 0
    )
    return ok, delta.sum(axis=1)


def _swap_round(p: Problem, table, home, idx, cnt) -> bool:
    a, b = _proposals(table, home, idx, cnt)
    if len(a) == 0:
        return False
    ok_a, gain_a = _side_gain(p, table, home, a, b)
    ok_b, gain_b = _side_gain(p, table, home, b, a)
    gain = np.where(ok_a & ok_b, gain_a + gain_b, 0)
    good = np.flatnonzero(gain > 0)
    if len(good) == 0:
        return False
    good = good[np.lexsort((a[good], -gain[good]))]
    locked: set[int] = set()
    moved = False
    for x, y in zip(a[good].tolist(), b[good].tolist(), strict=True):
        gx, gy = int(home[x]), int(home[y])
        if gx in locked or gy in locked:
            continue
        locked.update((gx, gy))
        table[gx][table[gx] == x] = y
        table[gy][table[gy] == y] = x
        home[x], home[y] = gy, gx
        moved = True
    return moved
