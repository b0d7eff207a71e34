"""Solve a round's problem while keeping the groups an organiser fixed."""

from __future__ import annotations

from pairing import matching
from pairing.matching.evaluate import evaluate_groups


def solve_with_fixed(problem: dict, fixed: list[list[str]]) -> dict:
    """Keep `fixed` groups (those still fully eligible) and let the engine place the rest."""
    present = {m["id"] for m in problem["members"]}
    fixed = [g for g in fixed if len(g) >= 2 and set(g) <= present]
    # A kept group that now breaks a rule (a new block, a changed profile) is dissolved
    # and its members matched afresh: a hard rule is never broken.
    fixed = [
        g
        for g, e in zip(fixed, evaluate_groups(problem, fixed), strict=True)
        if not e["violations"]
    ]
    taken = {member for group in fixed for member in group}
    rest = {**problem, "members": [m for m in problem["members"] if m["id"] not in taken]}
    solved = matching.solve(rest) if rest["members"] else {"groups": [], "unplaced": [], "bound": 0}
    evaluated = evaluate_groups(problem, fixed)
    groups = [
        {"members": g, "score": e["score"], "host": e["host"]}
        for g, e in zip(fixed, evaluated, strict=True)
    ] + solved["groups"]
    bound = solved.get("bound")
    return {
        "groups": groups,
        "unplaced": solved["unplaced"],
        "objective": sum(g["score"] for g in groups),
        "bound": None if fixed or bound is None else bound,
    }
