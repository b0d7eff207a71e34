"""The host of each group: the member asked to propose a time.

matching.md: "the one who has hosted least in this programme's history (ties by seed)".
History groups do not record hosts, so each member may carry an optional ``hosted`` count
(default 0) that the caller keeps; the host is the member with the lowest count, ties
broken by a seeded hash of (seed, member id) so the choice is reproducible yet rotates
between rounds with different seeds.
"""

from __future__ import annotations

import numpy as np

from .problem import Problem
from .scoring import seed_key, splitmix64


def choose_host(p: Problem, members: list[int]) -> int:
    idx = np.asarray(members, np.int64)
    with np.errstate(over="ignore"):
        tie = splitmix64(p.id_hash[idx] ^ seed_key(p.seed))
    pick = np.lexsort((idx, tie, p.hosted[idx]))[0]
    return int(idx[pick])
