"""Who has met whom: partners not yet met, members who have met everyone, and the
small-pool rules (round-robin order for small cohorts; meeting again the partner met
longest ago when a member has met everyone). Pure functions of the engine's problem."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

# Cohorts this small get a round-robin order: no repeat until a member has met everyone.
ROUND_ROBIN_MAX = 20
# How many of the longest-ago partners are offered again to a member who has met everyone.
RELEASE_PER_MEMBER = 3


def last_met(history: list[dict], present: set[str]) -> dict[frozenset, int]:
    """For each pair of present members who have met: the position (0 = oldest) of the
    last history entry in which they shared a group."""
    result: dict[frozenset, int] = {}
    for position, past in enumerate(history):
        for group in past["groups"]:
            inside = [m for m in group if m in present]
            for a, b in combinations(inside, 2):
                result[frozenset((a, b))] = position
    return result


def forbidding(history: list[dict], window: int | None) -> list[dict]:
    """The part of the history whose meetings forbid a repeat (matching.md rule 2)."""
    return history if window is None else history[len(history) - window :] if window else []


def partners_met(pairs: Iterable[frozenset]) -> dict[str, set[str]]:
    met: dict[str, set[str]] = {}
    for pair in pairs:
        a, b = tuple(pair)
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    return met


def compatible(problem: dict, member_id: str) -> set[str]:
    """Who `member_id` could ever be grouped with, as far as meeting goes: everyone else,
    or in a mentoring programme everyone with the other role."""
    members = problem["members"]
    if not problem["programme"].get("mentoring"):
        return {m["id"] for m in members} - {member_id}
    role = next((m.get("mentoring") for m in members if m["id"] == member_id), None)
    return {m["id"] for m in members if m.get("mentoring") and m.get("mentoring") != role}


def unmet_counts(
    problem: dict, extra_groups: Iterable[list[str]] = (), window: object = "programme"
) -> dict[str, int]:
    """Each member's count of members taking part this round they could meet and have
    not met (within the repeat window), after `extra_groups` (this round's) are added."""
    ids = [m["id"] for m in problem["members"]]
    present = set(ids)
    if window == "programme":
        window = problem["programme"].get("repeat_window")
    recent = forbidding(problem["history"], window)
    met = partners_met(last_met([*recent, {"groups": list(extra_groups)}], present))
    if not problem["programme"].get("mentoring"):
        return {m: len(ids) - 1 - len(met.get(m, ())) for m in ids}
    return {m: len(compatible(problem, m) - met.get(m, set())) for m in ids}


def effective_problem(problem: dict, *, repeat_when_all_met: bool) -> dict:
    """The problem the engine is given first. Small cohorts never repeat a pair while a
    member has someone new to meet (round robin); a member who has met everyone may
    meet again the partners met longest ago, if the programme says so and its repeat
    window allows (an explicit window is a hard rule: only meetings outside it are
    released)."""
    programme = problem["programme"]
    window = programme.get("repeat_window")
    small = len(problem["members"]) <= ROUND_ROBIN_MAX
    if not small and window is not None:
        return problem
    result = {**problem, "programme": {**programme, "repeat_window": None}}
    if repeat_when_all_met:
        released = _released_pairs(problem, window)
        if released:
            result["history"] = _without_pairs(problem["history"], released)
    return result


def relaxed_problem(problem: dict) -> dict | None:
    """A second try when the round-robin order left members unplaced: a small cohort
    falls back to its own repeat window (meetings outside it allowed again). None when
    there is nothing to relax: with no window, a pair repeats only when a member has met
    everyone (`effective_problem`), never just because a member is hard to place."""
    window = problem["programme"].get("repeat_window")
    if window is not None and len(problem["members"]) <= ROUND_ROBIN_MAX:
        return problem
    return None


def _released_pairs(problem: dict, window: int | None) -> set[frozenset]:
    ids = [m["id"] for m in problem["members"]]
    present = set(ids)
    history = problem["history"]
    met_at = last_met(history, present)
    met = partners_met(met_at)
    # Meetings inside an explicit window stay forbidden whatever the setting.
    protected = set(last_met(forbidding(history, window), present)) if window else set()
    released: set[frozenset] = set()
    for member in ids:
        # Sets, not counts: a partner met in another role (a mentor who now seeks one)
        # does not stand in for a mentor never met.
        could = compatible(problem, member)
        if not could or not could <= met.get(member, set()):
            continue  # still has someone new to meet
        oldest = sorted(
            (met_at[frozenset((member, other))], other)
            for other in met[member] & could
            if frozenset((member, other)) not in protected
        )
        released.update(frozenset((member, o)) for _p, o in oldest[:RELEASE_PER_MEMBER])
    return released


def _without_pairs(history: list[dict], released: set[frozenset]) -> list[dict]:
    """The history with `released` pairs forgotten: a group holding one is split into
    the pairs that did meet, so every other meeting still counts."""
    result = []
    for past in history:
        groups = []
        for group in past["groups"]:
            pairs = [frozenset(p) for p in combinations(group, 2)]
            if not any(p in released for p in pairs):
                groups.append(group)
            else:
                groups += [sorted(p) for p in pairs if p not in released]
        result.append({**past, "groups": groups})
    return result
