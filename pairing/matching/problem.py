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
    # Rounds each member has waited (left out in a row); 1 for `left_out_last_round`.
    left_out: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    hosted: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    interests: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.uint64))
    id_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    # Sorted keys i * n + j (i < j) of pairs with an exception, and what it is.
    exc_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    exc_forbid: np.ndarray = field(default_factory=lambda: np.zeros(0, np.bool_))
    exc_meetings: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    blocked_pairs: set[tuple[int, int]] = field(default_factory=set)
    met_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # ever met

    @property
    def n(self) -> int:
        return len(self.ids)


def stable_hash(text: str) -> int:
    """A 64-bit hash that, unlike ``hash()``, is the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _fail(path: str, message: str) -> ProblemError:
    return ProblemError(path, message)


# Waiting counts beyond this add nothing: priority, not a score that swamps the rest.
MAX_WAITED = 12


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
    left_out = np.zeros(n, np.int32)
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
        waited = _opt_int(m, "waited", path, 0, 0, MAX_WAITED)
        left_out[i] = max(waited, int(_opt_bool(m, "left_out_last_round", path, False)))
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


def _parse_history(raw: Any, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(round, key) of every pair that met, key = i * n + j with i < j.

    History may name members who are not in ``members`` (they left, or sit in a group an
    organiser fixed): those ids are ignored (matching.md), so only pairs of present
    members count as met, and a group with fewer than two present members adds nothing.
    Types are still checked: a group that is not a list of strings is an error.
    """
    if raw is None:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if not isinstance(raw, list):
        raise _fail("history", "must be a list of rounds")
    n = len(index)
    rounds: list[int] = []
    keys: list[int] = []
    for r, entry in enumerate(raw):
        path = f"history[{r}]"
        if not isinstance(entry, dict):
            raise _fail(path, "must be an object with groups")
        groups = entry.get("groups")
        if not isinstance(groups, list):
            raise _fail(f"{path}.groups", "must be a list of groups")
        for g, group in enumerate(groups):
            if not isinstance(group, list):
                raise _fail(f"{path}.groups[{g}]", "must be a list of strings")
            try:
                members = [index[name] for name in group]
            except (KeyError, TypeError):
                members = _present(group, index, f"{path}.groups[{g}]")
            if len(members) == 2:  # the common case, kept cheap
                a, b = members
                if a != b:
                    keys.append(a * n + b if a < b else b * n + a)
                    rounds.append(r)
                continue
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1 :]:
                    if a != b:
                        keys.append(a * n + b if a < b else b * n + a)
                        rounds.append(r)
    return np.array(rounds, np.int64), np.array(keys, np.int64)


def _present(group: list, index: dict[str, int], path: str) -> list[int]:
    """Indexes of the members of a history group who are in this problem, skipping ids
    of absent members; raises naming the entry if one is not a string."""
    names = _str_list(group, path)
    return [index[name] for name in names if name in index]


def _exceptions(problem: Problem, rounds: np.ndarray, keys: np.ndarray, count: int) -> None:
    """Sorted pair keys with an exception: forbidden (blocked, or met inside the repeat
    window) and how many meetings fell outside the window."""
    n = problem.n
    window = problem.repeat_window
    first_in_window = 0 if window is None else count - window
    # A pair counts once per round, however many groups of that round list it.
    per_round = np.unique(keys * max(count, 1) + rounds)
    keys, rounds = np.divmod(per_round, max(count, 1))
    met_keys, inverse = np.unique(keys, return_inverse=True)
    inside = np.bincount(inverse, weights=rounds >= first_in_window, minlength=len(met_keys))
    outside = np.bincount(inverse, weights=rounds < first_in_window, minlength=len(met_keys))
    blocked = np.array(sorted(i * n + j for i, j in problem.blocked_pairs), np.int64)
    all_keys = np.union1d(met_keys, blocked)
    forbid = np.isin(all_keys, blocked)
    meetings = np.zeros(len(all_keys), np.int32)
    pos = np.searchsorted(all_keys, met_keys)
    forbid[pos] |= inside > 0
    meetings[pos] = outside.astype(np.int32)
    problem.exc_keys, problem.exc_forbid, problem.exc_meetings = all_keys, forbid, meetings
    problem.met_keys = met_keys


def parse_problem(raw: Any) -> Problem:
    """Validate a decoded JSON problem; raise ProblemError naming the first bad field."""
    if not isinstance(raw, dict):
        raise _fail("problem", "must be a JSON object with programme and members")
    problem = Problem(ids=[])
    _parse_programme(raw.get("programme"), problem)
    _parse_members(raw.get("members"), problem)
    index = {mid: i for i, mid in enumerate(problem.ids)}
    history = raw.get("history")
    rounds, keys = _parse_history(history, index)
    _exceptions(problem, rounds, keys, len(history) if isinstance(history, list) else 0)
    return problem
