"""Benchmark of the matching engine (not a test).

    python bench/matching.py [--sizes 14 100 1000 ...] [--shapes typical ...] [--quick]
    python bench/matching.py --groups [--k 4 5 6 7] [--n 12 24 40 60 80] [--problems 20]

The second form prints the groups table instead (``bench/group_table.py``: learning-set
cohorts, k = 4-7, the engine against the previous method and HiGHS on the full model).

Generates synthetic librarian rounds of several shapes and sizes, runs the engine in a
fresh child process per run (median seconds and median peak MB of 3 runs; peak MB is
the child's ru_maxrss), an exact reference where affordable (rustworkx on the full
allowed-pair graph for pairs up to 3,000; for groups at N = 40, ``reference_groups``:
a different set-partitioning model, solved by HiGHS with no time limit), and the
competitors' methods (shuffle, first-fit greedy) on the same problems. Prints one table.

Competitors' objective counts only their rule-clean groups (a group that breaks a hard
rule cannot be sent); "viol." is how many of their groups break one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTORS = [
    ("academic", 30),
    ("health", 25),
    ("public", 20),
    ("school", 8),
    ("government", 7),
    ("law", 5),
    ("corporate", 5),
]
REGIONS = [
    "london",
    "south-east",
    "south-west",
    "east",
    "west-midlands",
    "east-midlands",
    "yorkshire",
    "north-west",
    "north-east",
    "scotland",
    "wales",
    "northern-ireland",
]
INTERESTS = [
    "systematic-searching",
    "open-access",
    "cataloguing",
    "metadata",
    "research-data",
    "copyright",
    "information-literacy",
    "digital-preservation",
    "archives",
    "special-collections",
    "reader-development",
    "children-and-young-people",
    "evidence-based-practice",
    "clinical-librarianship",
    "bibliometrics",
    "repositories",
    "scholarly-communication",
    "e-resources",
    "licensing",
    "acquisitions",
    "collection-management",
    "user-experience",
    "accessibility",
    "digital-skills",
    "teaching",
    "leadership",
    "management",
    "marketing",
    "outreach",
    "community-engagement",
    "knowledge-management",
    "records-management",
    "legal-research",
    "health-literacy",
    "data-visualisation",
    "coding",
    "ai-and-libraries",
    "discovery-systems",
    "interlibrary-loans",
    "rare-books",
    "local-history",
    "reading-groups",
    "makerspaces",
    "wellbeing",
]
SHAPES = (
    "typical",
    "dense_history",
    "many_blocks",
    "one_big_org",
    "sparse_in_person",
    "mentoring_few_offerers",
)


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _interests(rng: random.Random, popularity: list[float]) -> list[str]:
    return sorted(set(rng.choices(INTERESTS, weights=popularity, k=rng.randint(2, 6))))


def make_problem(n: int, shape: str, group_size: int = 2, seed: int = 1) -> dict:
    """A synthetic round: realistic sectors, regions, interests and organisation sizes."""
    rng = random.Random(f"{n}-{shape}-{group_size}-{seed}")
    popularity = [1.0 / (r + 1) ** 0.7 for r in range(len(INTERESTS))]
    orgs = max(3, n // 4)
    org_weights = [1.0 / (r + 1) ** 0.9 for r in range(orgs)]
    regions = REGIONS * (3 if shape == "sparse_in_person" else 1)
    regions = [
        f"{r}-{i // 12}" if shape == "sparse_in_person" else r for i, r in enumerate(regions)
    ]
    members = []
    for i in range(n):
        org = f"Org {rng.choices(range(orgs), weights=org_weights)[0]}"
        if shape == "one_big_org" and rng.random() < 0.4:
            org = "NHS Big Trust"
        fmt = rng.choices(["online", "either", "in_person"], weights=[55, 35, 10])[0]
        if shape == "sparse_in_person":
            fmt = rng.choices(["online", "either", "in_person"], weights=[30, 20, 50])[0]
        role = None
        if shape == "mentoring_few_offerers":
            role = "offer" if rng.random() < 0.15 else "seek"
        members.append({
            "id": f"m{i}",
            "interests": _interests(rng, popularity),
            "sector": _weighted(rng, SECTORS),
            "region": rng.choice(regions),
            "organisation": org,
            "experience": rng.randint(0, 3),
            "format": fmt,
            "mentoring": role,
            "blocked": [],
            "left_out_last_round": rng.random() < 0.03,
            "hosted": rng.randint(0, 4),
        })  # fmt: skip
    block_share = 0.3 if shape == "many_blocks" else 0.02
    for m in members:
        if n > 1 and rng.random() < block_share:
            m["blocked"] = [f"m{rng.randrange(n)}" for _ in range(rng.randint(1, 5))]
    rounds = 30 if shape == "dense_history" else 6
    ids = [m["id"] for m in members]
    history = []
    for r in range(rounds):
        rng.shuffle(ids)
        history.append({"round": r + 1, "groups": [ids[j : j + 2] for j in range(0, n - 1, 2)]})
    return {
        "programme": {
            "group_size": group_size,
            "sector_mix": "mixed",
            "avoid_same_organisation": True,
            "repeat_window": None if shape == "dense_history" else 3,
            "mentoring": shape == "mentoring_few_offerers",
            "randomness": 0,
            "seed": 7,
        },
        "members": members,
        "history": history,
    }


CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from pairing.matching import solve
problem = json.load(open(sys.argv[1]))
started = time.perf_counter()
if len(sys.argv) > 3 and problem["programme"].get("group_size", 2) > 2:
    from bench.matching import reference_groups
    solution = reference_groups(problem)
else:
    solution = solve(problem, exact_max=int(sys.argv[3]) if len(sys.argv) > 3 else None)
solution["seconds"] = time.perf_counter() - started
json.dump(solution, open(sys.argv[2], "w"))
"""


def reference_groups(raw: dict) -> dict:
    """Exact groups another way: one MILP per branch of the size rule, placement and score
    traded through a weight larger than any score, no time limit (HiGHS)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    from pairing.matching.problem import parse_problem
    from pairing.matching.scoring import dense
    from pairing.matching.setpart import _cliques, clique_columns

    p = parse_problem(raw)
    k = p.group_size
    allowed, score = dense(p)
    cliques = _cliques(allowed, score, {k - 1, k, k + 1} - {1})
    if cliques is None:
        raise RuntimeError("too many cliques for the reference model")
    weight = 1 + p.n * k * int(np.abs(score).max(initial=1))
    best = (0, 0, [])
    # Branch A: sizes k and k + 1, at most k - 1 of k + 1. Branch B: sizes k - 1 and k,
    # at least one of k - 1, and fewer groups than leftovers: y_k + 2 y_(k-1) <= k.
    for sizes, low, high, cap in (((k, k + 1), {k + 1: 0}, {k + 1: k - 1}, False),
                                  ((k - 1, k), {k - 1: 1}, {k - 1: k - 1}, True)):  # fmt: skip
        kinds = [s for s in sizes if s >= 2 and len(cliques.get(s, ((),))[0])]
        if not kinds or (cap and k - 1 not in kinds):
            continue
        cols = clique_columns(p.n, cliques, kinds)
        size, value = cols.size, cols.value
        cons = [LinearConstraint(cols.matrix, 0, 1)]
        for s in kinds:
            if s in high:
                cons.append(LinearConstraint((size == s).astype(float)[None, :], low[s], high[s]))
        if cap:
            cons.append(LinearConstraint(np.where(size == k, 1.0, 2.0)[None, :], 0, k))
        res = milp(c=-(value + weight * size).astype(float), constraints=cons,
                   integrality=np.ones(len(value)), bounds=Bounds(0, 1),
                   options={"mip_rel_gap": 0.0})  # fmt: skip
        if res.x is None:
            continue
        chosen = np.flatnonzero(res.x > 0.5)
        found = (int(size[chosen].sum()), int(value[chosen].sum()), chosen)
        if found[:2] > best[:2]:
            best = (found[0], found[1], [[p.ids[i] for i in g] for g in cols.groups(chosen)])
    return {"groups": [{"members": g} for g in best[2]], "objective": best[1], "bound": best[1]}


def run_child(problem_path: str, exact_max: int | None) -> tuple[dict, float]:
    """Solve in a fresh process; (solution, peak resident MB of that process)."""
    out = problem_path + ".out.json"
    args = [sys.executable, "-c", CHILD.format(root=str(ROOT)), problem_path, out]
    if exact_max is not None:
        args.append(str(exact_max))
    proc = subprocess.Popen(args)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"engine child failed with status {status}")
    with open(out) as fh:
        return json.load(fh), usage.ru_maxrss / 1024


def violations(problem, groups: list[list[int]]) -> int:
    """Groups with at least one pair that breaks a hard rule."""
    import numpy as np

    from pairing.matching.scoring import pair_allowed

    bad = 0
    for g in groups:
        idx = np.asarray(g)
        a, b = np.triu_indices(len(idx), 1)
        bad += int(not pair_allowed(problem, idx[a], idx[b]).all())
    return bad


def objective(problem, groups: list[list[int]]) -> int:
    """Score of the groups that keep every rule (a rule-breaking group cannot be used)."""
    import numpy as np

    from pairing.matching.scoring import group_score, pair_allowed

    total = 0
    for g in groups:
        idx = np.asarray(g)
        a, b = np.triu_indices(len(idx), 1)
        if pair_allowed(problem, idx[a], idx[b]).all():
            total += group_score(problem, g)
    return total


def bench_case(n: int, shape: str, k: int, runs: int, exact: bool, tmp: str) -> list[dict]:
    from pairing.matching.baselines import first_fit_groups, shuffle_groups
    from pairing.matching.problem import parse_problem

    raw = make_problem(n, shape, k)
    path = os.path.join(tmp, f"p-{n}-{shape}-{k}.json")
    with open(path, "w") as fh:
        json.dump(raw, fh)
    p = parse_problem(raw)
    index = {mid: i for i, mid in enumerate(p.ids)}
    results = [run_child(path, None) for _ in range(runs)]
    sol = results[0][0]
    groups = [[index[m] for m in g["members"]] for g in sol["groups"]]
    rows = [{
        "method": "engine", "seconds": statistics.median(r[0]["seconds"] for r in results),
        "mb": statistics.median(r[1] for r in results), "objective": sol["objective"],
        "bound": sol["bound"], "violations": violations(p, groups),
        "placed": sum(map(len, groups)),
    }]  # fmt: skip
    reference = None
    if exact:
        ref, mb = run_child(path, 10**9)
        reference = ref["objective"]
        method = "exact rustworkx" if k == 2 else "exact HiGHS"
        rows.append({"method": method, "seconds": ref["seconds"], "mb": mb,
                     "objective": reference, "bound": ref["bound"], "violations": 0,
                     "placed": sum(len(g["members"]) for g in ref["groups"])})  # fmt: skip
    for name, make in (
        ("shuffle", lambda: shuffle_groups(p, 1)),
        ("first-fit", lambda: first_fit_groups(p)),
    ):
        started = time.perf_counter()
        got = make()
        rows.append({"method": name, "seconds": time.perf_counter() - started, "mb": None,
                     "objective": objective(p, got), "bound": sol["bound"],
                     "violations": violations(p, got), "placed": sum(map(len, got))})  # fmt: skip
    for row in rows:
        row.update(n=n, shape=shape if k == 2 else f"{shape}, groups of {k}", reference=reference)
    return rows


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'N':>7} {'shape':<28} {'method':<16} {'seconds':>8} {'peak MB':>8} {'objective':>10} "
        f"{'bound':>10} {'% bound':>8} {'% exact':>8} {'placed':>7} {'viol.':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        pct_bound = 100 * r["objective"] / r["bound"] if r["bound"] else 100.0
        pct_exact = f"{100 * r['objective'] / r['reference']:.2f}" if r["reference"] else "-"
        mb = f"{r['mb']:.0f}" if r["mb"] is not None else "-"
        print(f"{r['n']:>7} {r['shape']:<28} {r['method']:<16} {r['seconds']:>8.2f} {mb:>8} "
              f"{r['objective']:>10} {r['bound']:>10} {pct_bound:>8.2f} {pct_exact:>8} "
              f"{r['placed']:>7} {r['violations']:>6}")  # fmt: skip


def plan(sizes: list[int], shapes: list[str], quick: bool) -> list[tuple[int, str, int, bool]]:
    cases = []
    for n in sizes:
        for shape in shapes if n <= 10_000 else ["typical"]:
            # Exact at 3,000 takes minutes per problem: the typical shape only.
            exact = n <= 1000 or (n <= 3000 and shape == "typical" and not quick)
            cases.append((n, shape, 2, exact))
    if not quick or 40 in sizes:
        cases.append((40, "typical", 5, True))
    if 10_000 in sizes:
        cases.append((10_000, "typical", 5, False))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[14, 100, 1000, 3000, 10_000, 100_000]
    )
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    parser.add_argument("--quick", action="store_true", help="1 run each, exact only up to 1k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--groups", action="store_true", help="the groups table instead")
    parser.add_argument("--k", type=int, nargs="+", default=[4, 5, 6, 7])
    parser.add_argument("--n", type=int, nargs="+", default=[12, 24, 40, 60, 80])
    parser.add_argument("--problems", type=int, default=20)
    parser.add_argument("--methods", nargs="+", default=["engine", "previous", "highs"],
                        choices=["engine", "previous", "highs"])  # fmt: skip
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per child")
    parser.add_argument(
        "--give-up",
        type=int,
        default=0,
        help="groups: stop a method in a cell after this many timeouts",
    )
    parser.add_argument("--save", help="groups: JSON-lines file of answers, reused by key")
    args = parser.parse_args()
    if args.groups:
        from bench.group_table import main as groups_table

        groups_table(
            args.k, args.n, args.problems, args.methods, args.limit, args.give_up, args.save
        )
        return
    runs = 1 if args.quick else args.runs
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, shape, k, exact in plan(args.sizes, args.shapes, args.quick):
            print(f"... N={n} {shape} k={k}", file=sys.stderr, flush=True)
            rows.extend(bench_case(n, shape, k, runs, exact, tmp))
    print_table(rows)


if __name__ == "__main__":
    main()
