"""Who has met whom: partners not yet met, members who have met everyone, and the
small-pool rules (round-robin order for small cohorts; meeting again the partner met
longest ago when a member has met everyone they could meet). Pure functions of the
engine's problem, judged by the engine's own hard rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property
from itertools import combinations

import numpy as np

from pairing.matching.problem import parse_problem
from pairing.matching.scoring import pair_allowed

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
    if window is None:
        return history
    # The last `window` rounds: all of them while fewer have run (a negative start would
    # slice from the end and drop the oldest, releasing meetings still inside the window).
    return history[max(0, len(history) - window) :] if window else []


def partners_met(pairs: Iterable[frozenset]) -> dict[str, set[str]]:
    met: dict[str, set[str]] = {}
    for pair in pairs:
        a, b = tuple(pair)
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    return met


class Rules:
    """Who could ever be grouped with whom under every hard rule but the repeat one
    (meeting format and region, organisation, blocks, mentoring roles and experience):
    the engine's own `pair_allowed`, asked once per kind of member, per organisation
    and per block rather than for every pair of a national network."""

    def __init__(self, problem: dict) -> None:
        self._p = parse_problem({**problem, "history": []})
        self.index = {member_id: i for i, member_id in enumerate(self._p.ids)}

    def allowed(self, member_id: str, others: list[str]) -> list[str]:
        """Those of `others` `member_id` could be grouped with."""
        known = [o for o in others if o in self.index]
        if not known:
            return []
        ok = pair_allowed(
            self._p, np.asarray(self.index[member_id]), np.asarray([self.index[o] for o in known])
        )
        return [o for o, allowed in zip(known, ok, strict=True) if allowed]

    def kept_by(self, member_id: str, others: list[str]) -> list[str]:
        """Which rules keep some of `others` from `member_id`, in this order: "format"
        (meeting format and region, or in mentoring roles and experience), "organisation",
        "choice" (a block either way). The engine's own rules, each lifted in turn."""
        known = [o for o in others if o in self.index]
        if member_id not in self.index or not known:
            return []
        me = np.full(len(known), self.index[member_id])
        them = np.asarray([self.index[o] for o in known])
        no_blocks = replace(self._p, exc_keys=np.zeros(0, np.int64))
        free = replace(no_blocks, avoid_same_organisation=False)
        rules = {
            "format": ~pair_allowed(free, me, them),
            "organisation": pair_allowed(free, me, them) & ~pair_allowed(no_blocks, me, them),
            "choice": pair_allowed(no_blocks, me, them) & ~pair_allowed(self._p, me, them),
        }
        return [rule for rule, kept in rules.items() if kept.any()]

    def unmet(self, met: dict[str, set[str]]) -> dict[str, int]:
        """Each member's count of members they could be grouped with and have not met."""
        p, n = self._p, self._p.n
        first, second = [], []
        for member_id, partners in met.items():
            for other in partners:
                if member_id in self.index and other in self.index:
                    first.append(self.index[member_id])
                    second.append(self.index[other])
        seen = np.zeros(n, np.int64)
        if first:
            mine, theirs = np.asarray(first), np.asarray(second)
            seen = np.bincount(mine[pair_allowed(p, mine, theirs)], minlength=n)
        left = self._partners - seen
        return {member_id: int(left[i]) for member_id, i in self.index.items()}

    @cached_property
    def _partners(self) -> np.ndarray:
        """How many members each member could be grouped with: counted for each kind of
        member (format, region and, in mentoring, role and experience) with neither the
        organisation rule nor blocks, then less the colleagues and the blocked partners
        that count would include."""
        p, n = self._p, self._p.n
        everyone = np.arange(n)
        free = replace(p, avoid_same_organisation=False, exc_keys=np.zeros(0, np.int64))
        fields = [p.fmt, p.region, *([p.role, p.experience] if p.mentoring else [])]
        _kinds, first, kind_of = np.unique(
            np.stack(fields, axis=1), axis=0, return_index=True, return_inverse=True
        )
        per_kind = np.array([pair_allowed(free, f, everyone).sum() for f in first], np.int64)
        totals = per_kind[kind_of.ravel()] if n else np.zeros(0, np.int64)
        if p.avoid_same_organisation:
            # Pairs of colleagues (each way) that only the organisation rule keeps apart.
            org = np.flatnonzero(p.org >= 0)
            order = org[np.argsort(p.org[org], kind="stable")]
            _orgs, starts, sizes = np.unique(p.org[order], return_index=True, return_counts=True)
            for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
                team = order[start : start + size]
                a, b = np.meshgrid(team, team, indexing="ij")
                apart = pair_allowed(free, a.ravel(), b.ravel())
                totals -= np.bincount(a.ravel()[apart], minlength=n)
        if len(p.exc_keys):
            # Blocked pairs the other rules allowed: one partner fewer for each of the two.
            keys = p.exc_keys[p.exc_forbid]
            a, b = keys // n, keys % n
            blocked = pair_allowed(replace(p, exc_keys=np.zeros(0, np.int64)), a, b)
            totals -= np.bincount(a[blocked], minlength=n) + np.bincount(b[blocked], minlength=n)
        return totals


def unmet_counts(
    problem: dict,
    extra_groups: Iterable[list[str]] = (),
    window: object = "programme",
    rules: Rules | None = None,
) -> dict[str, int]:
    """Each member's count of members taking part this round they could be grouped with
    (every hard rule but the repeat one: an "in person only" member counts only those in
    their region who meet in person) and have not met (within the repeat window), after
    `extra_groups` (this round's) are added. `rules`: this problem's, when the caller
    counts more than once (parsed once, not per count)."""
    present = {m["id"] for m in problem["members"]}
    if window == "programme":
        window = problem["programme"].get("repeat_window")
    recent = forbidding(problem["history"], window)
    met = partners_met(last_met([*recent, {"groups": list(extra_groups)}], present))
    return (rules or Rules(problem)).unmet(met)


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
    rules = Rules(problem)
    # Partners that could be met now, not counts: one met in another role (a mentor who
    # now seeks one), or online before choosing "in person only", does not stand in for
    # one who could be met now and never was.
    unmet = rules.unmet(met)
    for member in ids:
        mine = met.get(member, set())
        if not mine or unmet[member]:
            continue  # met nobody yet, or still has someone new to meet
        # Only with a partner who has nobody new either (matching.md: never while an
        # unmet partner is available): an "in person only" member whose one neighbour
        # could meet others does not keep that neighbour every round.
        oldest = sorted(
            (met_at[frozenset((member, other))], other)
            for other in rules.allowed(member, sorted(mine))
            if frozenset((member, other)) not in protected and not unmet[other]
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
