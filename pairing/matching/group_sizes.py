"""The group size rule (matching.md), shared by the exact and the heuristic group solvers.

With P members placed in groups of k, the remainder of P / k joins groups as k + 1 when
there are at least as many groups as leftovers; otherwise groups of k - 1 are used. Some
P cannot be split that way (P = 7 with k = 5).
"""

from __future__ import annotations


def composition(placed: int, k: int) -> dict[int, int] | None:
    """Group counts by size for ``placed`` members, or None if the rule cannot split it."""
    if placed == 0:
        return {}
    groups, rem = divmod(placed, k)
    if rem <= groups:
        return {s: c for s, c in ((k, groups - rem), (k + 1, rem)) if c}
    total = -(-placed // k)
    smaller = total * k - placed
    if smaller > total or k - 1 < 2:
        return None
    return {s: c for s, c in ((k, total - smaller), (k - 1, smaller)) if c}


def feasible_counts(limit: int, k: int) -> list[int]:
    """Placed counts the size rule allows, largest first, up to ``limit``."""
    return [n for n in range(limit, 1, -1) if composition(n, k) is not None]
