"""What competitors do, for the bench: shuffle-and-pair, and first-fit greedy.

Neither respects the hard rules beyond "not met before"; the bench counts how many of
their groups break one. Both return groups of member indices.
"""

from __future__ import annotations

import random
from collections import deque

import numpy as np

from .problem import Problem


def shuffle_groups(p: Problem, seed: int = 0) -> list[list[int]]:
    """Shuffle, then cut into groups of k; a short tail joins the last group."""
    order = list(range(p.n))
    random.Random(seed).shuffle(order)  # noqa: S311 - a baseline, not security
    k = p.group_size
    groups = [order[i : i + k] for i in range(0, p.n - p.n % k, k)]
    tail = order[p.n - p.n % k :]
    if groups and tail:
        groups[-1].extend(tail)
    return groups


def first_fit_groups(p: Problem) -> list[list[int]]:
    """Each free member in turn takes the first free members they have not met before."""
    met: dict[int, set[int]] = {}
    lo, hi = np.divmod(p.met_keys, max(p.n, 1))
    for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    waiting = deque(range(p.n))
    groups = []
    while waiting:
        group = [waiting.popleft()]
        pos = 0
        while len(group) < p.group_size and pos < len(waiting):
            j = waiting[pos]
            if all(j not in met.get(g, ()) for g in group):
                group.append(j)
                del waiting[pos]
            else:
                pos += 1
        if len(group) == p.group_size:
            groups.append(group)
    return groups
