"""Shared helpers for engine tests: problem builders, an independent checker, brute force.

The checker re-implements matching.md's rules and objective in plain Python, straight from
the problem dict, so the engine is never graded by its own vectorised code.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from typing import Any

MASK = (1 << 64) - 1
SHAPES = ("typical", "dense_history", "many_blocks", "one_org", "sparse_in_person", "mentoring")


def _mix(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def _id_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def jitter(seed: int, randomness: int, a: str, b: str) -> int:
    if randomness == 0:
        return 0
    lo, hi = sorted((_id_hash(a), _id_hash(b)))
    return _mix((_mix(lo ^ _mix(seed & MASK)) + hi) & MASK) % (randomness + 1)


class Rules:
    """matching.md's hard rules and pair score, evaluated one pair at a time."""

    def __init__(self, problem: dict[str, Any]) -> None:
        prog = problem.get("programme") or {}
        self.k = prog.get("group_size") or 2
        self.mix = prog.get("sector_mix") or "any"
        avoid = prog.get("avoid_same_organisation")
        self.avoid_org = True if avoid is None else avoid
        self.window = prog.get("repeat_window")
        self.mentoring = bool(prog.get("mentoring"))
        self.randomness = prog.get("randomness") or 0
        self.seed = prog.get("seed") or 0
        self.members = {m["id"]: m for m in problem["members"]}
        history = problem.get("history") or []
        first_recent = 0 if self.window is None else len(history) - self.window
        self.recent: set[frozenset] = set()
        self.old: dict[frozenset, int] = {}
        for r, entry in enumerate(history):
            pairs = {frozenset(p) for g in entry["groups"] for p in itertools.combinations(g, 2)}
            for pair in pairs:
                if len(pair) < 2:
                    continue
                if r >= first_recent:
                    self.recent.add(pair)
                else:
                    self.old[pair] = self.old.get(pair, 0) + 1

    def allowed(self, a: str, b: str) -> bool:
        ma, mb = self.members[a], self.members[b]
        if a == b or b in (ma.get("blocked") or []) or a in (mb.get("blocked") or []):
            return False
        if frozenset((a, b)) in self.recent:
            return False
        oa = (ma.get("organisation") or "").strip().casefold()
        ob = (mb.get("organisation") or "").strip().casefold()
        if self.avoid_org and oa and oa == ob:
            return False
        fa, fb = ma.get("format") or "either", mb.get("format") or "either"
        if "in_person" in (fa, fb):
            ra, rb = (ma.get("region") or "").strip(), (mb.get("region") or "").strip()
            if "online" in (fa, fb) or not ra or ra != rb:
                return False
        if self.mentoring:
            roles = (ma.get("mentoring"), mb.get("mentoring"))
            if sorted(roles, key=str) != ["offer", "seek"]:
                return False
            off, seek = (ma, mb) if roles[0] == "offer" else (mb, ma)
            eo, es = off.get("experience"), seek.get("experience")
            if eo is not None and es is not None and eo < es:
                return False
        return True

    def score(self, a: str, b: str) -> int:
        ma, mb = self.members[a], self.members[b]
        s = 10 + 6 * len(set(ma.get("interests") or []) & set(mb.get("interests") or []))
        sa, sb = (ma.get("sector") or "").strip(), (mb.get("sector") or "").strip()
        if self.mix != "any" and sa and sb:
            wanted = (sa != sb) if self.mix == "mixed" else (sa == sb)
            s += 4 if wanted else -2
        ra, rb = (ma.get("region") or "").strip(), (mb.get("region") or "").strip()
        if ra and ra == rb:
            s += 2
        if self.mentoring:
            off, seek = (ma, mb) if ma.get("mentoring") == "offer" else (mb, ma)
            eo, es = off.get("experience"), seek.get("experience")
            if eo is not None and es is not None:
                s += 2 * max(eo - es, 0)
        s -= 8 * self.old.get(frozenset((a, b)), 0)
        if ma.get("left_out_last_round") or mb.get("left_out_last_round"):
            s += 6
        return s + jitter(self.seed, self.randomness, a, b)

    def group_ok(self, group: list[str]) -> bool:
        return all(self.allowed(a, b) for a, b in itertools.combinations(group, 2))

    def group_score(self, group: list[str]) -> int:
        return sum(self.score(a, b) for a, b in itertools.combinations(group, 2))


def composition(placed: int, k: int) -> dict[int, int] | None:
    """Independent reading of matching.md's group-size rule."""
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


def check_solution(problem: dict[str, Any], solution: dict[str, Any]) -> Rules:
    """Assert every invariant of matching.md that does not need the optimum."""
    rules = Rules(problem)
    seen: set[str] = set()
    sizes: dict[int, int] = {}
    for group in solution["groups"]:
        members = group["members"]
        assert len(members) >= 2
        assert not seen & set(members), "nobody is in two groups"
        seen |= set(members)
        assert rules.group_ok(members), f"hard rule broken in {members}"
        assert group["score"] == rules.group_score(members)
        assert group["host"] in members
        sizes[len(members)] = sizes.get(len(members), 0) + 1
    assert composition(len(seen), rules.k) == sizes, f"group sizes {sizes} break the rule"
    unplaced = [u["id"] for u in solution["unplaced"]]
    assert set(unplaced) == set(rules.members) - seen
    assert len(unplaced) == len(set(unplaced))
    assert all(u["reason"] for u in solution["unplaced"])
    assert solution["objective"] == sum(g["score"] for g in solution["groups"])
    assert solution["bound"] >= solution["objective"]
    return rules


def brute_force(problem: dict[str, Any]) -> tuple[int, int]:
    """(most members placeable, best objective at that placement), by exhaustive search."""
    rules = Rules(problem)
    ids = list(rules.members)
    k = rules.k
    sizes = [s for s in (k - 1, k, k + 1) if s >= 2]
    best: dict[int, int] = {}

    def walk(rest: list[str], groups: list[list[str]]) -> None:
        if not rest:
            counts: dict[int, int] = {}
            for g in groups:
                counts[len(g)] = counts.get(len(g), 0) + 1
            placed = sum(len(g) for g in groups)
            if composition(placed, k) == counts:
                value = sum(rules.group_score(g) for g in groups)
                best[placed] = max(best.get(placed, value), value)
            return
        head, tail = rest[0], rest[1:]
        walk(tail, groups)
        for s in sizes:
            for others in itertools.combinations(tail, s - 1):
                group = [head, *others]
                if rules.group_ok(group):
                    left = [x for x in tail if x not in others]
                    walk(left, [*groups, group])

    walk(ids, [])
    placed = max(best)
    return placed, best[placed]


def random_problem(
    rng: random.Random,
    n: int,
    shape: str = "typical",
    group_size: int = 2,
    randomness: int = 0,
    seed: int = 0,
    window: int | None = None,
) -> dict[str, Any]:
    """A small random problem of one of the bench's shapes."""
    tags = [f"tag{t}" for t in range(8)]
    regions = ["north", "south", "east"] if shape != "sparse_in_person" else ["r1", "r2", "r3"]
    members = []
    for i in range(n):
        org = f"org{rng.randrange(3 if shape != 'one_org' else 2)}"
        if shape == "one_org" and rng.random() < 0.6:
            org = "Big Trust"
        fmt = rng.choice(["online", "either", "either", "in_person"])
        if shape == "sparse_in_person":
            fmt = rng.choice(["in_person", "in_person", "either", "online"])
        role = None
        if shape == "mentoring":
            role = "offer" if rng.random() < 0.25 else "seek"
        members.append({
            "id": f"m{i}",
            "interests": rng.sample(tags, rng.randint(0, 3)),
            "sector": rng.choice(["health", "academic", "public", None]),
            "region": rng.choice([*regions, None]),
            "organisation": org if rng.random() < 0.9 else None,
            "experience": rng.choice([0, 1, 2, 3, None]),
            "format": fmt,
            "mentoring": role,
            "blocked": [],
            "left_out_last_round": rng.random() < 0.15,
            "hosted": rng.randrange(3),
        })  # fmt: skip
    block_rate = 0.5 if shape == "many_blocks" else 0.05
    for m in members:
        if n > 1 and rng.random() < block_rate:
            m["blocked"] = [f"m{rng.randrange(n)}"]
    history = []
    rounds = 4 if shape == "dense_history" else 1
    ids = [m["id"] for m in members]
    for r in range(rounds):
        order = ids[:]
        rng.shuffle(order)
        history.append({"round": r + 1, "groups": [order[j : j + 2] for j in range(0, n - 1, 2)]})
    return {
        "programme": {
            "group_size": group_size,
            "sector_mix": rng.choice(["any", "mixed", "same"]),
            "avoid_same_organisation": True,
            "repeat_window": window,
            "mentoring": shape == "mentoring",
            "randomness": randomness,
            "seed": seed,
        },
        "members": members,
        "history": history,
    }
