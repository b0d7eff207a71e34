"""Exact groups when most members are interchangeable ("twins").

Two members are twins when every other member scores and is allowed with them alike, and
so are they with each other's twins. In a cohort of similar profiles with no randomness
(two interests between them, say) a few classes of twins hold everyone, and the clique
model drowns in equal groupings: 24 members in groups of 8 ran past the 30 s net.

A group is then only a *type*: how many of each class it holds. With classes c of sizes
n_c, the most members placed and the best score for that many are an integer programme
over the types t (x_t groups of type t):

    max sum_t value_t x_t   s.t.   sum_t count_{c,t} x_t <= n_c,   sum_{t of size s} x_t =
    counts[s] (the size rule's counts for the placed number, largest first),

small enough for HiGHS in milliseconds, and exact: any grouping maps to such an x of the
same score, and any x to a grouping (members of a class are handed out in order).
"""

from __future__ import annotations

import itertools

import numpy as np

from .group_sizes import composition, feasible_counts

MAX_CLASSES = 6  # above this, types multiply and the clique model does as well
MAX_TYPES = 20_000


def twin_classes(allowed: np.ndarray, w: np.ndarray, limit: int) -> list[list[int]] | None:
    """Members grouped into classes of twins (in order of their first member), or None as
    soon as there are more than ``limit`` classes."""
    n = len(allowed)
    classes: list[list[int]] = []
    for i in range(n):
        for members in classes:
            r = members[0]
            others = np.ones(n, bool)
            others[[i, r]] = False
            same = np.array_equal(allowed[i, others], allowed[r, others]) and np.array_equal(
                w[i, others], w[r, others]
            )
            # Within a class every pair is alike: i with r as r with its other twins.
            inner = len(members) == 1 or (
                allowed[i, r] == allowed[r, members[1]] and w[i, r] == w[r, members[1]]
            )
            if same and inner:
                members.append(i)
                break
        else:
            classes.append([i])
            if len(classes) > limit:
                return None
    return classes


def twin_groups(allowed: np.ndarray, w: np.ndarray, k: int, seconds: float):
    """(groups, objective) proven optimal, or None when the members are not few classes
    of twins (or HiGHS did not finish within ``seconds``)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(allowed)
    classes = twin_classes(allowed, w, MAX_CLASSES)
    if classes is None or len(classes) == n:
        return None
    size = np.array([len(c) for c in classes])
    rep = [c[0] for c in classes]
    between = w[np.ix_(rep, rep)].astype(np.float64)
    ok = allowed[np.ix_(rep, rep)].copy()
    for a, members in enumerate(classes):  # within a class: the pair of its first two
        if len(members) > 1:
            between[a, a], ok[a, a] = w[members[0], members[1]], allowed[members[0], members[1]]
    types = _types(size, ok, between, [s for s in (k - 1, k, k + 1) if s >= 2])
    if types is None:
        return None
    count, value, tsize = types
    for placed in feasible_counts(n, k):
        want = composition(placed, k)
        sizes = sorted(set(tsize.tolist()))
        if any(s not in sizes for s in want):
            continue
        # Exactly the rule's count of each size, and none of the sizes it does not use.
        per_size = np.array([[float(t == s) for t in tsize] for s in sizes])
        b = np.array([float(want.get(s, 0)) for s in sizes])
        res = milp(
            c=-value,
            integrality=np.ones(len(value)),
            bounds=Bounds(0, np.inf),
            constraints=[LinearConstraint(count.T, 0, size), LinearConstraint(per_size, b, b)],
            options={"mip_rel_gap": 0.0, "time_limit": max(seconds, 0.01)},
        )
        if res.status == 2:  # infeasible: that many cannot be placed
            continue
        if res.status != 0 or res.x is None:
            return None  # out of time: the clique model decides
        return _hand_out(classes, count, np.round(res.x).astype(int)), round(-res.fun)
    return [], 0


def _types(size, ok, between, sizes):
    """(count per class, value, size) of every allowed type, or None if too many."""
    classes = len(size)
    rows, values, sizes_of = [], [], []
    for s in sizes:
        for combo in itertools.combinations_with_replacement(range(classes), s):
            c = np.bincount(combo, minlength=classes)
            if (c > size).any():
                continue
            present = np.flatnonzero(c)
            # Every pair allowed: between its classes, and within a class it holds twice.
            within = [(a, a) for a in present if c[a] > 1]
            if not all(ok[a, b] for a, b in [*itertools.combinations(present, 2), *within]):
                continue
            pairs = np.outer(c, c).astype(np.float64)
            np.fill_diagonal(pairs, c * (c - 1))
            rows.append(c)
            values.append((pairs * between).sum() / 2)
            sizes_of.append(s)
            if len(rows) > MAX_TYPES:
                return None
    if not rows:
        return None
    return np.array(rows), np.array(values), np.array(sizes_of)


def _hand_out(classes, count, x) -> list[list[int]]:
    pools = [list(c) for c in classes]
    groups = []
    for t in np.flatnonzero(x):
        for _ in range(x[t]):
            group = []
            for a, c in enumerate(count[t]):
                group += [pools[a].pop(0) for _ in range(c)]
            groups.append(sorted(group))
    return groups
