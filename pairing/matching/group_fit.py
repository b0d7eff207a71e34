"""A grouping with given sizes and no disallowed pair, found by local search.

The exact method (``group_exact``) tries placed counts from the largest its relaxation
allows. For a count that can be met only with cliques far from the relaxation's optimum,
its MILPs can run out of time before they find any grouping (k = 7, N = 80, problem 10 of
the groups benchmark: 79 can be placed; HiGHS took 11 s to find no such grouping among
the 2,179 cliques within 16 points of the relaxation, and found one among 15,301 only
with 120 s). This finds one directly: members go into bins of the wanted sizes (plus a
bin of the unplaced), and a tabu search swaps members between bins until no bin holds a
pair that may not meet (the minimum-conflicts search of equitable colouring). Each step
takes a member in conflict and makes its best swap, priced in O(1) per partner from
``bad[g, i]`` (how many members of bin g member i may not meet), not undoing a recent
move. Steps are a fixed number per member and the random streams fixed, so the answer
is deterministic. It proves nothing when it fails (on near-unique groupings it can
miss); a grouping it finds is valid and becomes the count's first incumbent, annealed
for score (``group_anneal``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

STEPS_PER_MEMBER = 1500  # at N = 80, 120,000 steps: about 0.1 s when nothing is found
TRIES = 4  # fresh random streams (seeds 0-3) before giving up


@njit(cache=True)
def _fit(ok, home, groups, iterations, seed):  # pragma: no cover - numba
    n = ok.shape[0]
    np.random.seed(seed)
    # bins 0..groups-1 are groups; bin ``groups`` holds the unplaced (no conflicts there).
    bad = np.zeros((groups + 1, n), np.int32)
    for j in range(n):
        g = home[j]
        if g < groups:
            for i in range(n):
                if i != j and not ok[j, i]:
                    bad[g, i] += 1
    conflicts = 0
    for i in range(n):
        if home[i] < groups:
            conflicts += bad[home[i], i]
    conflicts //= 2
    tabu = np.zeros((n, groups + 1), np.int64)
    busy = np.empty(n, np.int64)
    for it in range(iterations):
        if conflicts == 0:
            return home.copy()
        # A member in conflict, at random.
        m = 0
        for i in range(n):
            if home[i] < groups and bad[home[i], i] > 0:
                busy[m] = i
                m += 1
        a = busy[np.random.randint(m)]
        ga = home[a]
        # Its best swap with anyone in another bin, not undoing a recent move (unless it
        # ends every conflict); ties broken at random.
        best, pick, ties = 1 << 30, -1, 0
        for b in range(n):
            gb = home[b]
            if gb == ga:
                continue
            clash = 0 if ok[a, b] else 1
            delta = bad[ga, b] - clash - bad[ga, a]
            if gb < groups:
                delta += bad[gb, a] - clash - bad[gb, b]
            if (tabu[a, gb] > it or tabu[b, ga] > it) and conflicts + delta > 0:
                continue
            if delta < best:
                best, pick, ties = delta, b, 1
            elif delta == best:
                ties += 1
                if np.random.randint(ties) == 0:
                    pick = b
        if pick < 0:
            continue
        b = pick
        gb = home[b]
        for i in range(n):
            if not ok[a, i]:
                bad[ga, i] -= 1
                bad[gb, i] += 1
            if not ok[b, i]:
                bad[gb, i] -= 1
                bad[ga, i] += 1
        home[a], home[b] = gb, ga
        conflicts += best
        tenure = 7 + np.random.randint(10)
        tabu[a, ga] = it + tenure
        tabu[b, gb] = it + tenure
    if conflicts == 0:
        return home.copy()
    return np.full(n, -1, np.int64)


def fit_sizes(allowed: np.ndarray, counts: dict[int, int]):
    """Groups with ``counts[s]`` groups of each size s, every pair in a group allowed,
    or None if ``TRIES`` searches found none (which proves nothing). Deterministic."""
    n = len(allowed)
    sizes = [s for s in sorted(counts, reverse=True) for _ in range(counts[s])]
    if sum(sizes) > n:
        return None
    # Members who can meet the fewest go in first, each into the first bin with room.
    order = np.argsort(allowed.sum(axis=1), kind="stable")
    home = np.full(n, len(sizes), np.int64)
    room = list(sizes)
    g = 0
    for i in order:
        while g < len(room) and room[g] == 0:
            g += 1
        if g == len(room):
            break
        home[i] = g
        room[g] -= 1
    ok = allowed.copy()
    np.fill_diagonal(ok, True)
    for seed in range(TRIES):
        cur = _fit(ok, home.copy(), len(sizes), STEPS_PER_MEMBER * n, seed)
        if not (cur < 0).all():
            break
    else:
        return None
    out: list[list[int]] = [[] for _ in sizes]
    for i in np.flatnonzero(cur < len(sizes)):
        out[cur[i]].append(int(i))
    return [sorted(grp) for grp in out]
