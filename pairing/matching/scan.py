"""Compiled O(n^2) kernels: the exact top-K candidate scan and the forest check.

numba earns its place here: scoring every pair of 100,000 members (5e9 pairs) is the
dominant cost of large rounds, and a compiled loop with a K-slot buffer is ~20x faster
than blocked numpy and parallelises over rows on both cores. The rules and scores mirror
``scoring.py`` exactly (a test compares them pair by pair).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .problem import IN_PERSON, OFFER, ONLINE, SEEK, Problem
from .scoring import seed_key

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_S33 = np.uint64(33)
_TIE_SPAN = np.int64(1) << 31
_S1, _S2, _S4, _S56 = np.uint64(1), np.uint64(2), np.uint64(4), np.uint64(56)
_K1, _K2 = np.uint64(0x5555555555555555), np.uint64(0x3333333333333333)
_K4, _K8 = np.uint64(0x0F0F0F0F0F0F0F0F), np.uint64(0x0101010101010101)


@njit(inline="always", cache=True)
def _mix(x):
    x = x + _M1
    x = (x ^ (x >> _S30)) * _M2
    x = (x ^ (x >> _S27)) * _M3
    return x ^ (x >> _S31)


@njit(inline="always", cache=True)
def _allowed(i, j, org, fmt, region, role, exp, avoid_org, mentoring):
    """Rules 3-5 (rules 1-2 are sparse exceptions handled by the callers)."""
    if avoid_org and org[i] >= 0 and org[i] == org[j]:
        return False
    in_person = fmt[i] == IN_PERSON or fmt[j] == IN_PERSON
    apart = fmt[i] == ONLINE or fmt[j] == ONLINE or region[i] < 0 or region[i] != region[j]
    if in_person and apart:
        return False
    if mentoring:
        known = exp[i] >= 0 and exp[j] >= 0
        if role[i] == OFFER and role[j] == SEEK:
            return not known or exp[i] >= exp[j]
        if role[j] == OFFER and role[i] == SEEK:
            return not known or exp[j] >= exp[i]
        return False
    return True


@njit(inline="always", cache=True)
def _popcount(x):
    x = x - ((x >> _S1) & _K1)
    x = (x & _K2) + ((x >> _S2) & _K2)
    x = (x + (x >> _S4)) & _K4
    return np.int64((x * _K8) >> _S56)


@njit(inline="always", cache=True)
def _tie(i, j, id_hash):
    lo, hi = id_hash[i], id_hash[j]
    if hi < lo:
        lo, hi = hi, lo
    return np.int64(_mix(lo ^ _mix(hi)) >> _S33)


@njit(inline="always", cache=True)
def _jitter(i, j, id_hash, seedk, rand):
    lo, hi = id_hash[i], id_hash[j]
    if hi < lo:
        lo, hi = hi, lo
    return np.int64(_mix(_mix(lo ^ seedk) + hi) % np.uint64(rand + 1))


NEG = -(1 << 30)


@njit(inline="always", cache=True)
def _fill_row(i, row, sh, bits_t, org, fmt, region, role, exp, sector, left_out, avoid_org,
              mentoring, mix):  # fmt: skip
    """Base scores (no jitter, no exceptions) of i with everyone; NEG where a rule fails.

    Several simple branch-free passes (row-level choices hoisted out) so that LLVM
    vectorises each one: this function is the whole cost of a 100k round.
    """
    n = row.shape[0]
    sh[:] = 0
    for w in range(bits_t.shape[0]):
        bi = bits_t[w, i]
        if bi != 0:
            for j in range(n):
                sh[j] += _popcount(bi & bits_t[w, j])
    reg_i = region[i]
    lo_bonus = np.int32(6) * left_out[i]
    for j in range(n):
        row[j] = 10 + 6 * sh[j] + max(lo_bonus, 6 * left_out[j])
    if reg_i >= 0:
        for j in range(n):
            row[j] += np.int32(2) if region[j] == reg_i else np.int32(0)
    sec_i = sector[i]
    if mix != 0 and sec_i >= 0:
        if_equal, if_differ = (-2, 4) if mix == 1 else (4, -2)
        for j in range(n):
            sj = sector[j]
            row[j] += 0 if sj < 0 else (if_equal if sj == sec_i else if_differ)
    if mentoring:
        _mentoring_pass(i, row, role, exp)
    if fmt[i] == IN_PERSON:
        for j in range(n):
            if fmt[j] == ONLINE or region[j] != reg_i or reg_i < 0:
                row[j] = NEG
    elif fmt[i] == ONLINE:
        for j in range(n):
            if fmt[j] == IN_PERSON:
                row[j] = NEG
    else:
        for j in range(n):
            if fmt[j] == IN_PERSON and (region[j] != reg_i or reg_i < 0):
                row[j] = NEG
    org_i = org[i]
    if avoid_org and org_i >= 0:
        for j in range(n):
            if org[j] == org_i:
                row[j] = NEG


@njit(inline="always", cache=True)
def _apply_exceptions(i, row, exc_ptr, exc_col, exc_forbid, exc_meet):
    """Finish i's row: no pair with itself, none with a blocked member or one met inside
    the repeat window, and 8 off per older meeting (``exc_*``: i's exceptions, as CSR)."""
    row[i] = NEG
    for e in range(exc_ptr[i], exc_ptr[i + 1]):
        j = exc_col[e]
        if row[j] != NEG:
            row[j] = NEG if exc_forbid[e] else row[j] - 8 * exc_meet[e]


@njit(inline="always", cache=True)
def _mentoring_pass(i, row, role, exp):
    n = row.shape[0]
    role_i, exp_i = role[i], exp[i]
    want = SEEK if role_i == OFFER else (OFFER if role_i == SEEK else -1)
    sign = 1 if role_i == OFFER else -1
    for j in range(n):
        gap = sign * (exp_i - exp[j])
        both = exp_i >= 0 and exp[j] >= 0
        if role[j] != want or (both and gap < 0):
            row[j] = NEG
        elif both:
            row[j] += 2 * gap


@njit(parallel=True, cache=True)
def _topk(
    k, chunk, lo, hi, bits_t, org, fmt, region, role, exp, sector, left_out, id_hash, seedk,
    rand, mix, avoid_org, mentoring, exc_ptr, exc_col, exc_forbid, exc_meet,
    out_idx, out_w, out_cnt, out_deg,
):  # fmt: skip
    n = org.shape[0]
    for c in prange((n + chunk - 1) // chunk):
        row = np.empty(n, np.int32)
        sh = np.empty(n, np.int32)
        cj = np.empty(n, np.int64)
        cw = np.empty(n, np.int64)
        hist = np.zeros(hi - lo + 1, np.int64)
        for i in range(c * chunk, min(n, (c + 1) * chunk)):
            _fill_row(i, row, sh, bits_t, org, fmt, region, role, exp, sector, left_out,
                      avoid_org, mentoring, mix)  # fmt: skip
            _apply_exceptions(i, row, exc_ptr, exc_col, exc_forbid, exc_meet)
            deg = 0
            for j in range(n):
                v = row[j]
                if v != NEG:
                    deg += 1
                    hist[min(max(v, lo), hi) - lo] += 1
            # Threshold: the k-th best base score; with jitter anything within rand of it
            # may still make the top k, so all of those are rescored exactly.
            need, t = min(k, deg), hi
            while t > lo and need > 0:
                need -= hist[t - lo]
                if need > 0:
                    t -= 1
            hist[:] = 0
            cut = max(t, lo) - rand if deg > 0 else hi + 1
            m = 0
            for j in range(n):
                if row[j] >= cut:
                    cj[m] = j
                    m += 1
            for r in range(m):
                cw[r] = row[cj[r]]
                if rand > 0:
                    cw[r] += _jitter(i, cj[r], id_hash, seedk, rand)
            # Ties are common (integer scores): break them by a pair hash, not by index,
            # or every list would point at the same low-numbered members.
            key = np.empty(m, np.int64)
            for r in range(m):
                key[r] = cw[r] * _TIE_SPAN + _tie(i, cj[r], id_hash)
            order = np.argsort(-key, kind="mergesort")
            count = min(k, m)
            for r in range(count):
                out_idx[i, r] = cj[order[r]]
                out_w[i, r] = cw[order[r]]
            out_cnt[i], out_deg[i] = count, deg


@njit(parallel=True, cache=True)
def _check(
    rows, org, fmt, region, role, exp, avoid_org, mentoring,
    exc_ptr, exc_col, exc_forbid, tree, label, base, out,
):  # fmt: skip
    """For each row o: allowed partners the Hungarian forest does not account for."""
    n = tree.shape[0]
    per = out.shape[1]
    for r in prange(rows.shape[0]):
        o = rows[r]
        t = tree[o]
        ptr, end = exc_ptr[o], exc_ptr[o + 1]
        found = 0
        for j in range(n):
            if j == o:
                continue
            # Tutte-Berge: outer vertices may touch inner ones, or their own blossom.
            if label[j] == 2 or (tree[j] == t and base[j] == base[o]):
                continue
            if not _allowed(o, j, org, fmt, region, role, exp, avoid_org, mentoring):
                continue
            while ptr < end and exc_col[ptr] < j:
                ptr += 1
            if ptr < end and exc_col[ptr] == j and exc_forbid[ptr]:
                continue
            out[r, found] = j
            found += 1
            if found == per:
                break


def _exception_rows(p: Problem) -> tuple[np.ndarray, ...]:
    """Exceptions as per-row CSR (both directions, columns sorted)."""
    n = p.n
    lo, hi = np.divmod(p.exc_keys, max(n, 1))
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([hi, lo])
    order = np.lexsort((cols, rows))
    ptr = np.zeros(n + 1, np.int64)
    np.add.at(ptr, rows + 1, 1)
    ptr = np.cumsum(ptr)
    forbid = np.concatenate([p.exc_forbid, p.exc_forbid])[order]
    meet = np.concatenate([p.exc_meetings, p.exc_meetings])[order].astype(np.int64)
    return ptr, cols[order].astype(np.int64), forbid, meet


def _rule_args(p: Problem) -> tuple:
    return (p.org, p.fmt, p.region, p.role, p.experience, p.avoid_same_organisation, p.mentoring)


def top_candidates(p: Problem, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact top-k allowed partners per member: (idx, score, count, full degree)."""
    n = p.n
    idx = np.full((n, k), -1, np.int64)
    w = np.zeros((n, k), np.int64)
    cnt = np.zeros(n, np.int64)
    deg = np.zeros(n, np.int64)
    ptr, col, forbid, meet = _exception_rows(p)
    top = 10 + 6 * int(np.bitwise_count(p.interests).sum(axis=1).max(initial=0)) + 30
    bottom = -2 - 8 * int(p.exc_meetings.max(initial=0))
    bits_t = np.ascontiguousarray(p.interests.T)
    chunk = max(1, min(64, n // 64))
    mix = {"any": 0, "mixed": 1, "same": 2}[p.sector_mix]
    _topk(
        k,
        chunk,
        bottom,
        top,
        bits_t,
        p.org,
        p.fmt,
        p.region,
        p.role,
        p.experience,
        p.sector,
        p.left_out,
        p.id_hash,
        seed_key(p.seed),
        np.int64(p.randomness),
        mix,
        p.avoid_same_organisation,
        p.mentoring,
        ptr,
        col,
        forbid,
        meet,
        idx,
        w,
        cnt,
        deg,
    )
    return idx, w, cnt, deg


def forest_violations(
    p: Problem,
    rows: np.ndarray,
    tree: np.ndarray,
    label: np.ndarray,
    base: np.ndarray,
    per: int = 8,
) -> np.ndarray:
    """Per outer vertex in ``rows``, up to ``per`` allowed partners the forest misses."""
    ptr, col, forbid, _ = _exception_rows(p)
    out = np.full((len(rows), per), -1, np.int64)
    _check(rows.astype(np.int64), *_rule_args(p), ptr, col, forbid, tree, label, base, out)
    return out
