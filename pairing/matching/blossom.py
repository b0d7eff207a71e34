"""Maximum-cardinality repair with Edmonds' blossom search, and its Hungarian forest.

Starting from a good matching, one alternating-tree search is grown from each exposed
vertex. A search that finds an exposed vertex augments; one that fails leaves a
*Hungarian tree* that no later augmenting path can enter, so it is deleted for good
(Edmonds). That keeps the total work near O(E) when few augmentations are needed, and the
forest that remains is a certificate: its inner vertices form a Tutte set (Tutte-Berge),
its outer vertices are exactly the members some maximum matching leaves out, and each
blossom is a factor-critical component (Gallai-Edmonds). ``pairs.py`` uses the
certificate to prove maximality on the full graph and to decide whether a trio exists.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

OUTER, INNER = 1, 2
NOT_IN_FOREST = np.iinfo(np.int64).max


@dataclass
class Forest:
    """Per vertex: deletion order of its tree (NOT_IN_FOREST if none), label, blossom base."""

    tree: np.ndarray
    label: np.ndarray
    base: np.ndarray

    def outer(self) -> np.ndarray:
        return np.flatnonzero(self.label == OUTER)


class _Search:
    """One alternating-tree search from ``root``.

    Blossoms are kept in a union-find keyed by vertex (root = blossom base), so shrinking
    one costs the length of its two tree paths, not a pass over everything reached.
    """

    def __init__(self, adj: list[list[int]], mate: list[int], deleted: list[bool], root: int):
        self.adj, self.mate, self.deleted, self.root = adj, mate, deleted, root
        self.uf: dict[int, int] = {}
        self.parent: dict[int, int] = {}
        self.outer: set[int] = {root}
        self.touched: list[int] = [root]
        self.queue: deque[int] = deque([root])

    def b(self, v: int) -> int:
        uf = self.uf
        r = v
        while r in uf:
            r = uf[r]
        while v != r:  # path compression
            nxt = uf[v]
            uf[v] = r
            v = nxt
        return r

    def run(self) -> int:
        """The exposed vertex that ends an augmenting path, or -1 if the tree is Hungarian."""
        mate, parent, outer, deleted = self.mate, self.parent, self.outer, self.deleted
        while self.queue:
            v = self.queue.popleft()
            for to in self.adj[v]:
                if deleted[to] or mate[v] == to:
                    continue
                if to in outer:
                    if self.b(v) != self.b(to):
                        self._contract(v, to)
                elif to not in parent:
                    parent[to] = v
                    self.touched.append(to)
                    if mate[to] == -1:
                        return to
                    m = mate[to]
                    outer.add(m)
                    self.touched.append(m)
                    self.queue.append(m)
        return -1

    def _lca(self, a: int, b: int) -> int:
        seen = set()
        while True:
            a = self.b(a)
            seen.add(a)
            if self.mate[a] == -1:
                break
            a = self.b(self.parent[self.mate[a]])
        while True:
            b = self.b(b)
            if b in seen:
                return b
            b = self.parent[self.mate[b]]

    def _mark(self, v: int, top: int, child: int) -> list[int]:
        """Re-point the path from v up to the blossom base; return bases to merge."""
        merged = []
        while self.b(v) != top:
            m = self.mate[v]
            merged.extend((self.b(v), self.b(m)))
            self.parent[v] = child
            if m not in self.outer:  # an inner vertex inside the blossom turns outer
                self.outer.add(m)
                self.queue.append(m)
            child = m
            v = self.parent[m]
        return merged

    def _contract(self, v: int, to: int) -> None:
        top = self._lca(v, to)
        merged = self._mark(v, top, to) + self._mark(to, top, v)
        for x in merged:
            x = self.b(x)
            if x != top:
                self.uf[x] = top

    def augment(self, end: int) -> None:
        v = end
        while v != -1:
            pv = self.parent[v]
            nxt = self.mate[pv]
            self.mate[v], self.mate[pv] = pv, v
            v = nxt


def maximum_matching(
    adj: list[list[int]], mate: list[int], skip: set[int] | None = None
) -> tuple[list[int], Forest]:
    """Grow ``mate`` (in place) to a maximum matching of ``adj`` minus ``skip``; + forest."""
    n = len(adj)
    deleted = [False] * n
    for v in skip or ():
        deleted[v] = True
    tree = np.full(n, NOT_IN_FOREST, np.int64)
    label = np.zeros(n, np.int64)
    base = np.arange(n, dtype=np.int64)
    order = 0
    for root in range(n):
        if mate[root] != -1 or deleted[root] or not adj[root]:
            continue
        search = _Search(adj, mate, deleted, root)
        end = search.run()
        if end != -1:
            search.augment(end)
            continue
        for x in search.touched:
            deleted[x] = True
            tree[x] = order
            label[x] = OUTER if x in search.outer else INNER
            base[x] = search.b(x)
        order += 1
    return mate, Forest(tree, label, base)


def greedy_fill(adj: list[list[int]], mate: list[int]) -> None:
    """Match exposed neighbours directly (adjacency lists are best-first) before searching."""
    for v in range(len(adj)):
        if mate[v] != -1:
            continue
        for to in adj[v]:
            if mate[to] == -1 and to != v:
                mate[v], mate[to] = to, v
                break
