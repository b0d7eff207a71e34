"""Hard rules and pair scores (matching.md), vectorised over arrays of member indices.

``pair_allowed(p, i, j)`` and ``pair_score(p, i, j)`` accept broadcastable integer arrays,
so the same code scores one pair, a candidate list or a dense matrix. The numba scan in
``scan.py`` mirrors this file for the O(n^2) candidate search; a test keeps them in step.

Jitter: an integer uniform on 0..randomness, ``splitmix64(splitmix64(lo ^ seed') + hi)``
modulo ``randomness + 1``, where lo <= hi are the two members' 64-bit id hashes (blake2b of
the id) and seed' is splitmix64 of the seed. It depends only on the seed and the unordered
pair of ids, never on member order, and vectorises.
"""

from __future__ import annotations

import numpy as np

from .problem import IN_PERSON, OFFER, ONLINE, SEEK, Problem

BASE = 10
PER_INTEREST = 6
SECTOR_BONUS, SECTOR_MALUS = 4, -2
SAME_REGION = 2
PER_EXPERIENCE_LEVEL = 2
PER_OLD_MEETING = -8
LEFT_OUT_BONUS = 6

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)


def splitmix64(x: np.ndarray) -> np.ndarray:
    x = (x + _M1).astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * _M2
    x = (x ^ (x >> np.uint64(27))) * _M3
    return x ^ (x >> np.uint64(31))


def seed_key(seed: int) -> np.uint64:
    with np.errstate(over="ignore"):
        return splitmix64(np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))[0]


def jitter(p: Problem, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Seeded per-pair jitter in 0..randomness (see module docstring)."""
    if p.randomness == 0:
        return np.zeros(np.broadcast(i, j).shape, np.int64)
    hi_, hj = p.id_hash[i], p.id_hash[j]
    lo, hi = np.minimum(hi_, hj), np.maximum(hi_, hj)
    with np.errstate(over="ignore"):
        x = splitmix64(splitmix64(lo ^ seed_key(p.seed)) + hi)
    return (x % np.uint64(p.randomness + 1)).astype(np.int64)


def _exception_lookup(p: Problem, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(forbidden by block or recent meeting, meetings outside the window) per pair."""
    shape = np.broadcast(i, j).shape
    if len(p.exc_keys) == 0:
        return np.zeros(shape, np.bool_), np.zeros(shape, np.int32)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    keys = (lo.astype(np.int64) * p.n + hi).ravel()
    pos = np.searchsorted(p.exc_keys, keys).clip(0, len(p.exc_keys) - 1)
    found = p.exc_keys[pos] == keys
    forbid = np.where(found, p.exc_forbid[pos], False).reshape(shape)
    meetings = np.where(found, p.exc_meetings[pos], 0).reshape(shape)
    return forbid, meetings


def pair_allowed(p: Problem, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """True where the pair passes every hard rule of matching.md."""
    i, j = np.asarray(i), np.asarray(j)
    ok = i != j
    if p.avoid_same_organisation:
        ok &= (p.org[i] < 0) | (p.org[i] != p.org[j])
    fi, fj = p.fmt[i], p.fmt[j]
    in_person = (fi == IN_PERSON) | (fj == IN_PERSON)
    same_region = (p.region[i] >= 0) & (p.region[i] == p.region[j])
    ok &= ~in_person | ((fi != ONLINE) & (fj != ONLINE) & same_region)
    if p.mentoring:
        ri, rj = p.role[i], p.role[j]
        ei, ej = p.experience[i], p.experience[j]
        known = (ei >= 0) & (ej >= 0)
        offer_i = (ri == OFFER) & (rj == SEEK) & (~known | (ei >= ej))
        offer_j = (rj == OFFER) & (ri == SEEK) & (~known | (ej >= ei))
        ok &= offer_i | offer_j
    forbid, _ = _exception_lookup(p, i, j)
    return ok & ~forbid


def pair_score(p: Problem, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The objective of matching.md for each pair (meaningful where allowed)."""
    i, j = np.asarray(i), np.asarray(j)
    shared = np.bitwise_count(p.interests[i] & p.interests[j]).sum(axis=-1, dtype=np.int64)
    score = BASE + PER_INTEREST * shared
    if p.sector_mix != "any":
        known = (p.sector[i] >= 0) & (p.sector[j] >= 0)
        equal = p.sector[i] == p.sector[j]
        wanted = ~equal if p.sector_mix == "mixed" else equal
        score = score + np.where(known, np.where(wanted, SECTOR_BONUS, SECTOR_MALUS), 0)
    score = score + SAME_REGION * ((p.region[i] >= 0) & (p.region[i] == p.region[j]))
    if p.mentoring:
        ei, ej = p.experience[i], p.experience[j]
        known = (ei >= 0) & (ej >= 0)
        gap = np.where(p.role[i] == OFFER, ei - ej, ej - ei)
        score = score + PER_EXPERIENCE_LEVEL * np.where(known, np.maximum(gap, 0), 0)
    _, meetings = _exception_lookup(p, i, j)
    score = score + PER_OLD_MEETING * meetings
    # Longest wait first: the bonus grows with the rounds either member has waited.
    score = score + LEFT_OUT_BONUS * np.maximum(p.left_out[i], p.left_out[j])
    return (score + jitter(p, i, j)).astype(np.int64)


def dense(p: Problem, idx: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(allowed, score) matrices over the members ``idx`` (all members by default)."""
    idx = np.arange(p.n) if idx is None else np.asarray(idx)
    a, b = idx[:, None], idx[None, :]
    return pair_allowed(p, a, b), pair_score(p, a, b)


def group_score(p: Problem, members: list[int]) -> int:
    """Sum of the pair scores inside a group."""
    idx = np.asarray(members)
    a, b = np.triu_indices(len(idx), 1)
    return int(pair_score(p, idx[a], idx[b]).sum())
