"""Score and check groups someone else made (an organiser's edited preview).

Uses the engine's own rules and scores, and says in words which rule a pair breaks.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from .hosts import choose_host
from .problem import parse_problem
from .scoring import group_score, pair_allowed


def evaluate_groups(
    problem: dict[str, Any], groups: list[list[str]], names: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """For each group of member ids: its score, host, shared interests (slugs held by at
    least two members) and the hard rules it breaks, as sentences naming members by
    `names` (their ids when not given)."""
    names = names or {}
    if not groups:
        return []
    p = parse_problem(problem)
    index = {member_id: i for i, member_id in enumerate(p.ids)}
    raw = {m["id"]: m for m in problem["members"]}
    results = []
    for group in groups:
        unknown = [m for m in group if m not in index]
        if unknown:
            results.append(
                {
                    "score": 0,
                    "host": group[0],
                    "shared": [],
                    "violations": [
                        f"{', '.join(names.get(m, m) for m in unknown)} cannot be matched "
                        "this round"
                    ],
                }
            )
            continue
        idx = [index[m] for m in group]
        violations = [
            _why(problem, raw[a], raw[b], names)
            for (a, ia), (b, ib) in combinations(zip(group, idx, strict=True), 2)
            if not bool(pair_allowed(p, np.asarray(ia), np.asarray(ib)))
        ]
        counts: dict[str, int] = {}
        for member in group:
            for slug in set(raw[member].get("interests") or []):
                counts[slug] = counts.get(slug, 0) + 1
        results.append(
            {
                "score": group_score(p, idx),
                "host": p.ids[choose_host(p, idx)],
                "shared": sorted(s for s, n in counts.items() if n >= 2),
                "violations": violations,
            }
        )
    return results


def _why(problem: dict[str, Any], a: dict[str, Any], b: dict[str, Any], who: dict[str, str]) -> str:
    names = f"{who.get(a['id'], a['id'])} and {who.get(b['id'], b['id'])}"
    settings = problem.get("programme", {})
    if b["id"] in (a.get("blocked") or []) or a["id"] in (b.get("blocked") or []):
        return f"{names}: one has asked not to be paired with the other"
    org_a = (a.get("organisation") or "").strip().lower()
    if (
        settings.get("avoid_same_organisation", True)
        and org_a
        and org_a == (b.get("organisation") or "").strip().lower()
    ):
        return f"{names} work for the same organisation"
    formats = {a.get("format") or "either", b.get("format") or "either"}
    if "in_person" in formats and (
        "online" in formats or not a.get("region") or a.get("region") != b.get("region")
    ):
        return f"{names}: an in-person meeting needs both in the same region, neither online-only"
    if settings.get("mentoring"):
        return (
            f"{names}: a mentoring pair needs one offering and one seeking, the mentor "
            "at least as experienced"
        )
    window = settings.get("repeat_window")
    if window is None and settings.get("when_all_met") == "repeat":
        # Walk 47: "introduces people only once" in a programme that had just introduced
        # a trio again (set by the draft's check, pairing/rounds/edits.py).
        return (
            f"{names} have met before, and people meet again only when neither has anyone "
            "new left to meet"
        )
    if window is None:  # "Empty: never again"
        return f"{names} have met before, and this programme introduces people only once"
    if window == 1:
        return (
            f"{names} met in the last round, and this programme lets people meet again "
            "only after 1 round"
        )
    return (
        f"{names} met within the last {window} rounds, and this programme lets people meet "
        f"again only after {window} rounds"
    )
