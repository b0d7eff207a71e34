"""Simulated annealing over swaps, for groups of up to ``ANNEAL_MAX`` members.

The greedy construction of ``group_search`` places members well but scores 80-95 % of the
optimum (measured at N = 80 against the exact method). This improves it the way the
maximally diverse grouping literature does: swap two members of different groups, or a
placed member with an unplaced one, so every group keeps its size and the size rule still
holds. A swap is only ever made when every pair in both groups stays allowed, so each
state is a valid grouping, and the best state seen is returned.

Each move is priced in O(1) from two tables kept up to date on every accepted swap (O(n)):
``gain[g, i]``, the score member i would add to group g, and ``bad[g, i]``, how many
members of g member i may not meet. Partners are drawn half the time from a member's best
candidates' groups (where gains are), half at random (so the search can leave a corner).
The number of moves is a fixed function of the size, and the random stream comes from
the round's seed, so the result is a deterministic function of the problem.
"""

from __future__ import annotations

import numpy as np
from numba import njit

ANNEAL_MAX = 3000
MOVES_PER_MEMBER = 10_000
# Rounds above LARGE_FROM members (the heuristic's own, never the exact method's seeds and
# dives) anneal four times as long (40,000 moves a member, MOVES_CAP in all). Groups of
# LONG_FROM_K or more up to LONG_UP_TO members, where ``groups.solve_groups`` then spends
# 30-180 s certifying the grouping, anneal 160,000 moves a member. At 1,000 members
# (bench/group_table.py cohorts, 2 cores, 2026-12-07; seconds of the whole heuristic),
# 40,000 moves a member against 160,000: k = 5 (big_org) 47,626 / 47,812 (10 / 29 s),
# k = 6 69,216 / 69,558 (8 / 28 s), k = 7 big_org 65,819 / 66,440 and cohort 3 80,457 /
# 80,900 (9 / 24-28 s): with the cut certificate, k = 7 on big_org went from 0.946 to
# 0.955 of the bound (README, "Large rounds"). Smaller groups gain less for more time:
# k = 4 43,119 / 43,208 (10 / 37 s), k = 3 29,864 / 29,957 (12 / 46 s); and at 3,000
# members (k = 5) it would cost 41 s for 0.5 % (rounds of 10,000 must take under 30 s).
LARGE_FROM = 200
MOVES_PER_MEMBER_LARGE = 40_000
MOVES_CAP = 40_000_000
LONG_FROM_K = 5
LONG_UP_TO = 1000
MOVES_PER_MEMBER_LONG = 160_000
# Start hot at this share of a typical pair score (75th percentile), cool to T_COLD.
# Measured at N = 1,000, k = 5 (10 million moves): starting at 3 points reached 55,126,
# at 6 points 56,127, at 12 points 56,326 but twice as slow (more swaps accepted, each
# O(n)); the greedy and swap search had 54,100.
HOT_SHARE = 0.3
T_COLD = 0.05


@njit(cache=True)
def _anneal(w, ok, home, cand, cnt, moves, t_hot, t_cold, seed):  # pragma: no cover - numba
    n = w.shape[0]
    groups = 0
    for i in range(n):
        groups = max(groups, home[i] + 1)
    np.random.seed(seed)
    gain = np.zeros((groups, n), np.float64)
    bad = np.zeros((groups, n), np.int32)
    size = np.zeros(groups, np.int64)
    for j in range(n):
        g = home[j]
        if g < 0:
            continue
        size[g] += 1
        for i in range(n):
            if i != j:
                gain[g, i] += w[j, i]
                if not ok[j, i]:
                    bad[g, i] += 1
    width = 1
    for g in range(groups):
        width = max(width, size[g])
    table = -np.ones((groups, width), np.int64)
    slot = np.zeros(n, np.int64)
    fill = np.zeros(groups, np.int64)
    spare = np.empty(n, np.int64)
    nspare = 0
    for i in range(n):
        g = home[i]
        if g < 0:
            slot[i] = nspare
            spare[nspare] = i
            nspare += 1
        else:
            slot[i] = fill[g]
            table[g, fill[g]] = i
            fill[g] += 1
    placed = np.empty(n - nspare, np.int64)
    m = 0
    for i in range(n):
        if home[i] >= 0:
            placed[m] = i
            m += 1
    if m == 0 or (groups < 2 and nspare == 0):
        return home.copy()
    value = 0.0
    for i in range(n):
        if home[i] >= 0:
            value += gain[home[i], i]
    value /= 2.0
    best = value
    best_home = home.copy()
    ratio = (t_cold / t_hot) ** (1.0 / max(1, moves))
    temp = t_hot
    for _ in range(moves):
        temp *= ratio
        a = placed[np.random.randint(m)]
        ga = home[a]
        r = np.random.random()
        if nspare > 0 and r < 0.15:
            b = spare[np.random.randint(nspare)]
        elif r < 0.6 and cnt[a] > 0:
            c = cand[a, np.random.randint(cnt[a])]
            gc = home[c]
            if gc < 0:
                b = c
            else:
                if gc == ga:
                    continue
                b = table[gc, np.random.randint(size[gc])]
        else:
            b = placed[np.random.randint(m)]
        gb = home[b]
        if gb == ga:
            continue
        clash = 0 if ok[a, b] else 1
        if gb < 0:
            if bad[ga, b] - clash != 0:
                continue
            delta = gain[ga, b] - w[a, b] - gain[ga, a]
        else:
            if bad[gb, a] - clash != 0 or bad[ga, b] - clash != 0:
                continue
            delta = (gain[gb, a] - w[a, b] - gain[ga, a]) + (gain[ga, b] - w[a, b] - gain[gb, b])
        if delta < 0 and np.random.random() >= np.exp(delta / temp):
            continue
        # Swap a and b: a goes where b was, b where a was.
        for i in range(n):
            gain[ga, i] += w[b, i] - w[a, i]
            bad[ga, i] += (0 if ok[b, i] else 1) - (0 if ok[a, i] else 1)
        if gb >= 0:
            for i in range(n):
                gain[gb, i] += w[a, i] - w[b, i]
                bad[gb, i] += (0 if ok[a, i] else 1) - (0 if ok[b, i] else 1)
            sa, sb = slot[a], slot[b]
            table[ga, sa] = b
            table[gb, sb] = a
            slot[a], slot[b] = sb, sa
            home[a], home[b] = gb, ga
        else:
            sa, sb = slot[a], slot[b]
            table[ga, sa] = b
            spare[sb] = a
            slot[a], slot[b] = sb, sa
            home[a], home[b] = -1, ga
            # a is no longer placed: b takes its place in the list of placed members.
            for q in range(m):
                if placed[q] == a:
                    placed[q] = b
                    break
        value += delta
        if value > best + 1e-9:
            best = value
            best_home[:] = home
    return best_home


def anneal(
    score: np.ndarray, allowed: np.ndarray, groups: list[list[int]], cand: np.ndarray,
    cnt: np.ndarray, seed: int, group_size: int = 0,
) -> list[list[int]]:  # fmt: skip
    """Improve ``groups`` (valid, sizes kept) by annealed swaps; returns the best found.

    ``cand``/``cnt``: each member's best partners (``scan.top_candidates``), where moves
    are looked for first.  ``group_size``: the round's k (groups of ``LONG_FROM_K`` or
    more anneal longer, see above).
    """
    n = len(score)
    if len(groups) == 0 or n < 2:
        return groups
    home = np.full(n, -1, np.int64)
    for g, members in enumerate(groups):
        home[members] = g
    # Each member counts as allowed with, and worth nothing to, themself: the swap
    # updates touch the diagonal.
    w = score.astype(np.float64)
    np.fill_diagonal(w, 0.0)
    allowed = allowed.copy()
    np.fill_diagonal(allowed, True)
    if group_size >= LONG_FROM_K and LARGE_FROM < n <= LONG_UP_TO:
        moves = MOVES_PER_MEMBER_LONG * n
    else:
        per_member = MOVES_PER_MEMBER_LARGE if n > LARGE_FROM else MOVES_PER_MEMBER
        moves = int(min(MOVES_CAP, per_member * n))
    spread = float(np.percentile(np.abs(w[allowed]), 75)) if allowed.any() else 1.0
    hot = max(HOT_SHARE * spread, 2 * T_COLD)
    cur = _anneal(w, allowed, home, cand, cnt, moves, hot, T_COLD, seed % (2**31))
    out: list[list[int]] = [[] for _ in groups]
    for i in np.flatnonzero(cur >= 0):
        out[cur[i]].append(int(i))
    return [sorted(g) for g in out]
