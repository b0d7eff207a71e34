"""The one trio of a pairs round: who joins which pair, and whether any trio is possible.

A leftover member x can join pair (a, b) when x is allowed with both. The cheap checks look
at the current matching. If they fail, a trio may still exist in another maximum matching:
by Gallai-Edmonds, exactly when some odd component K of the "could be left out" set D
(a blossom of the Hungarian forest) holds a triangle T whose removal leaves K perfectly
matchable. That is tested on small components, so a trio is not missed in sparse corners
(an in-person pocket, say) where it hides.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import rustworkx as rx

from .blossom import OUTER, Forest, maximum_matching
from .problem import Problem
from .scoring import dense, pair_allowed, pair_score

FULL_ROW_CHECKS = 50
COMPONENT_MAX = 300
TRIANGLE_TESTS = 30


def add_trio(
    p: Problem,
    mate: np.ndarray,
    adjacency: list[list[int]],
    degree: np.ndarray,
    top2: np.ndarray,
    forest: Callable[[], Forest | None],
) -> tuple[list[list[int]], int]:
    """Groups (pairs and at most one trio) and the bound allowance the trio may need."""
    pairs = {a: [a, int(mate[a])] for a in range(len(mate)) if a < mate[a]}
    exposed = [x for x in np.flatnonzero(mate < 0).tolist() if degree[x] >= 1]
    left = [x for x in exposed if degree[x] >= 2]
    if not exposed or p.mentoring:
        # Mentoring pairs one offerer with one seeker, so no three are mutually allowed.
        return list(pairs.values()), 0
    trio = _from_lists(p, mate, left, adjacency) or _from_rows(p, mate, left)
    if trio is not None:
        x, a, b = trio
        del pairs[min(a, b)]
        pairs[min(a, b)] = sorted([x, a, b])
        return sorted(pairs.values()), int(top2.max())
    rebuilt = _from_components(p, mate, forest(), adjacency)
    if rebuilt is None:
        return list(pairs.values()), 0
    return rebuilt, int(top2.max())


def _best(p: Problem, xs: np.ndarray, az: np.ndarray, mate: np.ndarray) -> tuple | None:
    """Best (x, a, b) among candidate joins x -> pair (a, mate[a])."""
    on = (az >= 0) & (mate[np.maximum(az, 0)] >= 0)
    xs, az = xs[on], az[on]
    bz = mate[az]
    ok = pair_allowed(p, xs, az) & pair_allowed(p, xs, bz)
    if not ok.any():
        return None
    xs, az, bz = xs[ok], az[ok], bz[ok]
    gain = pair_score(p, xs, az) + pair_score(p, xs, bz)
    pick = np.lexsort((np.minimum(az, bz), xs, -gain))[0]
    return int(xs[pick]), int(az[pick]), int(bz[pick])


def _from_lists(p: Problem, mate: np.ndarray, left: list[int], adjacency) -> tuple | None:
    if not left:
        return None
    xs = np.concatenate([np.full(len(adjacency[x]), x, np.int64) for x in left])
    az = np.concatenate([np.asarray(adjacency[x], np.int64) for x in left])
    return _best(p, xs, az, mate) if len(xs) else None


def _from_rows(p: Problem, mate: np.ndarray, left: list[int]) -> tuple | None:
    """Every pair of the matching, for a few leftovers (the lists may miss some)."""
    matched = np.flatnonzero(mate >= 0)
    for x in left[:FULL_ROW_CHECKS]:
        found = _best(p, np.full(len(matched), x, np.int64), matched, mate)
        if found is not None:
            return found
    return None


def _components(forest: Forest, n: int) -> list[np.ndarray]:
    """Blossoms of the forest: the odd components of D with room for a triangle."""
    outer = np.flatnonzero(forest.label == OUTER)
    keys = forest.tree[outer] * n + forest.base[outer]
    order = np.argsort(keys, kind="stable")
    groups = np.split(outer[order], np.flatnonzero(np.diff(keys[order])) + 1)
    return [g for g in groups if 3 <= len(g) <= COMPONENT_MAX]


def _from_components(p: Problem, mate: np.ndarray, forest: Forest | None, adjacency):
    """Trio + perfect matching inside one component, maximum matching everywhere else.

    The component's leftover may sit elsewhere in the current matching (reached through
    an alternating path), so the rest is re-matched with the component taken out and the
    result kept only if it places 2 * |matching| + 1 members.
    """
    if forest is None:
        return None
    target = 2 * int((mate >= 0).sum() // 2) + 1
    for comp in _components(forest, len(mate)):
        inside = _component_trio(p, comp)
        if inside is None:
            continue
        skip = set(comp.tolist())
        rest = [-1 if (v in skip or m in skip) else m for v, m in enumerate(mate.tolist())]
        rest, _ = maximum_matching(adjacency, rest, skip)
        pairs = [[a, b] for a, b in enumerate(rest) if a < b]
        if 2 * len(pairs) + len(comp) == target:
            return sorted(pairs + inside)
    return None


def _component_trio(p: Problem, comp: np.ndarray) -> list[list[int]] | None:
    allowed, score = dense(p, comp)
    tri = []
    for x in range(len(comp)):
        nb = np.flatnonzero(allowed[x])
        sub = allowed[np.ix_(nb, nb)]
        a, b = np.nonzero(np.triu(sub, 1))
        for i, j in zip(nb[a].tolist(), nb[b].tolist(), strict=True):
            if x < i:  # each triangle once
                tri.append((score[x, i] + score[x, j] + score[i, j], x, i, j))
    tri.sort(key=lambda t: (-t[0], t[1:]))
    need = (len(comp) - 3) // 2
    for _, x, i, j in tri[:TRIANGLE_TESTS]:
        rest = [v for v in range(len(comp)) if v not in (x, i, j)]
        pairs = _perfect(allowed, score, rest)
        if pairs is not None and len(pairs) == need:
            groups = [sorted(int(comp[v]) for v in pair) for pair in pairs]
            return [*groups, sorted(int(comp[v]) for v in (x, i, j))]
    return None


def _perfect(allowed: np.ndarray, score: np.ndarray, rest: list[int]):
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(rest)
    idx = np.asarray(rest, np.int64)
    sub = np.triu(allowed[np.ix_(idx, idx)], 1)
    a, b = np.nonzero(sub)
    w = score[idx[a], idx[b]]
    shift = 1 - int(w.min()) if len(w) and w.min() <= 0 else 0
    graph.add_edges_from(list(zip(a.tolist(), b.tolist(), (w + shift).tolist(), strict=True)))
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return [(rest[u], rest[v]) for u, v in matching]
