"""Parse and validate a matching problem into flat numpy arrays.

Every error names the offending field (``members[3].format``) so the command can print one
readable line. Categorical fields become small integer codes (-1 = missing) so rules and
scores can be evaluated for millions of pairs at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

FORMATS = ("either", "online", "in_person")
EITHER, ONLINE, IN_PERSON = 0, 1, 2
ROLES = (None, "offer", "seek")
NO_ROLE, OFFER, SEEK = 0, 1, 2
SECTOR_MIXES = ("any", "mixed", "same")
MAX_GROUP_SIZE = 12
# Order used when listing choices in an error message (matching.md's own order).
_DISPLAY = {"online": 0, "in_person": 1, "either": 2, "offer": 0, "seek": 1, "any": 0,
            "mixed": 1, "same": 2}  # fmt: skip
MAX_RANDOMNESS = 1000


class ProblemError(ValueError):
    """An invalid problem: ``field`` is a path such as ``members[3].format``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Problem:
    """A validated problem. Pair exceptions (blocks, past meetings) are kept sparse."""

    ids: list[str]
    group_size: int = 2
    sector_mix: str = "any"
    avoid_same_organisation: bool = True
    repeat_window: int | None = None
    mentoring: bool = False
    randomness: int = 0
    seed: int = 0
    sector: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    region: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    org: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    experience: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    fmt: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    role: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    left_out: np.ndarray = field(default_factory=lambda: np.zeros(0, np.bool_))
    hosted: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    interests: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.uint64))
    id_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    # Sorted keys i * n + j (i < j) of pairs with an exception, and what it is.
    exc_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    exc_forbid: np.ndarray = field(default_factory=lambda: np.zeros(0, np.bool_))
    exc_meetings: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    blocked_pairs: set[tuple[int, int]] = field(default_factory=set)
    met_pairs: set[tuple[int, int]] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.ids)


def stable_hash(text: str) -> int:
    """A 64-bit hash that, unlike ``hash()``, is the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _fail(path: str, message: str) -> ProblemError:
    return ProblemError(path, message)


def _opt_bool(obj: dict[str, Any], key: str, path: str, default: bool) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _fail(f"{path}.{key}", "must be true or false")
    return value


def _opt_int(
    obj: dict[str, Any], key: str, path: str, default: int | None, lo: int, hi: int | None
) -> int | None:
    value = obj.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{path}.{key}", "must be an integer")
    if value < lo or (hi is not None and value > hi):
        bounds = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise _fail(f"{path}.{key}", f"must be {bounds}")
    return value


def _opt_str(obj: dict[str, Any], key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(f"{path}.{key}", "must be a string or null")
    value = value.strip()
    return value or None


def _choice(obj: dict[str, Any], key: str, path: str, choices: tuple, default: Any) -> Any:
    value = obj.get(key)
    if value is None:
        return default
    if value not in choices:
        names = ", ".join(sorted((c for c in choices if c is not None), key=_DISPLAY.get))
        raise _fail(f"{path}.{key}", f"must be one of {names}")
    return value


def _str_list(value: Any, path: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, "must be a list of strings")
    for k, item in enumerate(value):
        if not isinstance(item, str):
            raise _fail(f"{path}[{k}]", "must be a string")
    return value


def _parse_programme(raw: Any, problem: Problem) -> None:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _fail("programme", "must be an object")
    p = "programme"
    problem.group_size = _opt_int(raw, "group_size", p, 2, 2, MAX_GROUP_SIZE)
    problem.sector_mix = _choice(raw, "sector_mix", p, SECTOR_MIXES, "any")
    problem.avoid_same_organisation = _opt_bool(raw, "avoid_same_organisation", p, True)
    problem.repeat_window = _opt_int(raw, "repeat_window", p, None, 0, None)
    problem.mentoring = _opt_bool(raw, "mentoring", p, False)
    problem.randomness = _opt_int(raw, "randomness", p, 0, 0, MAX_RANDOMNESS)
    seed = raw.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _fail("programme.seed", "must be an integer or null")
    problem.seed = seed or 0
    if problem.mentoring and problem.group_size != 2:
        raise _fail("programme.group_size", "mentoring programmes use pairs only (must be 2)")


class _Codes:
    """Assigns small integer codes to category values in order of first appearance."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def __call__(self, value: str | None) -> int:
        if value is None:
            return -1
        return self.codes.setdefault(value, len(self.codes))


def _parse_members(raw: Any, problem: Problem) -> list[list[str]]:
    if not isinstance(raw, list):
        raise _fail("members", "must be a list")
    n = len(raw)
    index: dict[str, int] = {}
    cols = {k: np.full(n, -1, np.int32) for k in ("sector", "region", "org", "exp", "fmt", "role")}
    left_out = np.zeros(n, np.bool_)
    hosted = np.zeros(n, np.int64)
    sectors, regions, orgs, tags = _Codes(), _Codes(), _Codes(), _Codes()
    member_tags: list[list[int]] = []
    blocked: list[list[str]] = []
    for i, m in enumerate(raw):
        path = f"members[{i}]"
        if not isinstance(m, dict):
            raise _fail(path, "must be an object")
        mid = m.get("id")
        if not isinstance(mid, str) or not mid.strip():
            raise _fail(f"{path}.id", "must be a non-empty string")
        if mid in index:
            raise _fail(f"{path}.id", f"duplicate id {mid!r}")
        index[mid] = i
        cols["sector"][i] = sectors(_opt_str(m, "sector", path))
        cols["region"][i] = regions(_opt_str(m, "region", path))
        org = _opt_str(m, "organisation", path)
        # Organisations compare trimmed and case-insensitively (matching.md rule 3).
        cols["org"][i] = orgs(org.casefold() if org else None)
        cols["exp"][i] = _opt_int(m, "experience", path, -1, 0, 3)
        cols["fmt"][i] = FORMATS.index(_choice(m, "format", path, FORMATS, "either"))
        cols["role"][i] = ROLES.index(_choice(m, "mentoring", path, ROLES, None))
        left_out[i] = _opt_bool(m, "left_out_last_round", path, False)
        hosted[i] = _opt_int(m, "hosted", path, 0, 0, None)
        member_tags.append(
            sorted({tags(t) for t in _str_list(m.get("interests"), f"{path}.interests")})
        )
        blocked.append(_str_list(m.get("blocked"), f"{path}.blocked"))
    problem.ids = list(index)
    problem.sector, problem.region, problem.org = cols["sector"], cols["region"], cols["org"]
    problem.experience, problem.fmt, problem.role = cols["exp"], cols["fmt"], cols["role"]
    problem.left_out, problem.hosted = left_out, hosted
    problem.interests = _bitsets(member_tags, len(tags.codes))
    problem.id_hash = np.array([stable_hash(x) for x in problem.ids], dtype=np.uint64)
    problem.blocked_pairs = _blocked_pairs(blocked, index)
    return blocked


def _bitsets(member_tags: list[list[int]], count: int) -> np.ndarray:
    words = max(1, (count + 63) // 64)
    bits = np.zeros((len(member_tags), words), np.uint64)
    for i, tags in enumerate(member_tags):
        for t in tags:
            bits[i, t >> 6] |= np.uint64(1 << (t & 63))
    return bits


def _blocked_pairs(blocked: list[list[str]], index: dict[str, int]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for i, names in enumerate(blocked):
        for k, name in enumerate(names):
            j = index.get(name)
            if j is None:
                raise _fail(f"members[{i}].blocked[{k}]", f"unknown member {name!r}")
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _parse_history(raw: Any, index: dict[str, int]) -> list[list[list[int]]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _fail("history", "must be a list of rounds")
    rounds = []
    for r, entry in enumerate(raw):
        path = f"history[{r}]"
        if not isinstance(entry, dict):
            raise _fail(path, "must be an object with groups")
        groups = entry.get("groups")
        if not isinstance(groups, list):
            raise _fail(f"{path}.groups", "must be a list of groups")
        parsed = []
        for g, group in enumerate(groups):
            names = _str_list(group, f"{path}.groups[{g}]")
            members = []
            for k, name in enumerate(names):
                if name not in index:
                    raise _fail(f"{path}.groups[{g}][{k}]", f"unknown member {name!r}")
                members.append(index[name])
            parsed.append(sorted(set(members)))
        rounds.append(parsed)
    return rounds


def _meetings(rounds: list[list[list[int]]], window: int | None) -> dict[tuple[int, int], list]:
    """Per pair that met: [met inside the repeat window, meetings outside it]."""
    first_in_window = 0 if window is None else len(rounds) - window
    met: dict[tuple[int, int], list] = {}
    for r, groups in enumerate(rounds):
        seen = set()
        for group in groups:
            for a_pos, a in enumerate(group):
                for b in group[a_pos + 1 :]:
                    seen.add((a, b))
        for pair in seen:
            entry = met.setdefault(pair, [False, 0])
            if r >= first_in_window:
                entry[0] = True
            else:
                entry[1] += 1
    return met


def _exceptions(problem: Problem, met: dict[tuple[int, int], list]) -> None:
    n = problem.n
    pairs = sorted(problem.blocked_pairs | set(met))
    keys = np.array([i * n + j for i, j in pairs], dtype=np.int64)
    forbid = np.array(
        [(p in problem.blocked_pairs) or met.get(p, (False,))[0] for p in pairs], dtype=np.bool_
    )
    meetings = np.array([met[p][1] if p in met else 0 for p in pairs], dtype=np.int32)
    problem.exc_keys, problem.exc_forbid, problem.exc_meetings = keys, forbid, meetings
    problem.met_pairs = set(met)


def parse_problem(raw: Any) -> Problem:
    """Validate a decoded JSON problem; raise ProblemError naming the first bad field."""
    if not isinstance(raw, dict):
        raise _fail("problem", "must be a JSON object with programme and members")
    problem = Problem(ids=[])
    _parse_programme(raw.get("programme"), problem)
    _parse_members(raw.get("members"), problem)
    index = {mid: i for i, mid in enumerate(problem.ids)}
    rounds = _parse_history(raw.get("history"), index)
    _exceptions(problem, _meetings(rounds, problem.repeat_window))
    return problem
