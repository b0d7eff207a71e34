"""The groups table of ``bench/matching.py --groups`` (learning-set sizes, k = 4-7).

    python bench/matching.py --groups [--k 4 5 6 7] [--n 12 24 40 60 80] [--problems 20]
        [--methods engine previous highs] [--limit 300] [--give-up 3] [--save results.jsonl]

Generates cohorts like learning sets (shapes with a history of past groups, shared
organisations, blocks, in-person members), solves each in a fresh child process per
method, and prints per cell: median and worst seconds, the share proven optimal
(objective = bound), the worst objective / bound, and against the other methods the
members placed and objective where they finished. Seconds are a warm solve: each
child first solves a tiny problem, as a running service has (a cold process pays about
2-4 s more for imports and compiled kernels on these machines). Methods: ``engine`` (``solve``),
``previous`` (the previous exact method, every clique a column, 180 s HiGHS limit, the
heuristic as it was above N = 40: greedy then swap search, no annealing), ``highs``
(HiGHS on the full set-partitioning model, placement and score in one objective, no time
limit). ``--limit`` kills a child after that many
seconds (reported as "timeout"), so a run finishes; ``--give-up`` stops a method in a cell
after that many timeouts (the rest of the cell counts as timeouts, "not run"), since a
method that does not finish three problems of a size will not finish the rest. ``--save``
keeps every child's answer in a JSON-lines file, and a later run with the same file reuses
answers for the same method and problem (the slow columns are run once, the engine again).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

SHAPES = ("cohort", "big_org", "in_person", "long_history")
TOPICS = [f"topic-{t}" for t in range(30)]


def make_cohort(n: int, k: int, seed: int) -> dict:
    """A learning-set cohort: shape by seed (cycles through SHAPES)."""
    shape = SHAPES[seed % len(SHAPES)]
    rng = random.Random(f"cohort-{n}-{k}-{seed}")
    orgs = max(3, n // 3)
    weights = [1.0 / (r + 1) ** 0.6 for r in range(orgs)]
    regions = [f"region-{r}" for r in range(3 if shape == "in_person" else 6)]
    popularity = [1.0 / (r + 1) ** 0.7 for r in range(len(TOPICS))]
    in_person = 0.4 if shape == "in_person" else 0.1
    members = []
    for i in range(n):
        org = f"Org {rng.choices(range(orgs), weights=weights)[0]}"
        if shape == "big_org" and rng.random() < 0.35:
            org = "Big Trust"
        fmt = rng.choices(
            ["online", "either", "in_person"], [0.9 - in_person - 0.3, 0.3, in_person]
        )
        members.append({
            "id": f"m{i}",
            "interests": sorted(set(rng.choices(TOPICS, popularity, k=rng.randint(2, 5)))),
            "sector": rng.choice(["academic", "health", "public", "school", "law"]),
            "region": rng.choice(regions),
            "organisation": org if rng.random() < 0.95 else None,
            "experience": rng.randint(0, 3),
            "format": fmt[0],
            "blocked": [],
            "left_out_last_round": rng.random() < 0.05,
            "hosted": rng.randint(0, 3),
        })  # fmt: skip
    for m in members:
        if rng.random() < 0.05:
            m["blocked"] = [f"m{rng.randrange(n)}" for _ in range(rng.randint(1, 2))]
    ids = [m["id"] for m in members]
    history = []
    for r in range(3 if shape == "long_history" else 1):
        rng.shuffle(ids)
        groups = [ids[j : j + k] for j in range(0, n - k + 1, k)]
        history.append({"round": r + 1, "groups": groups})
    return {
        "programme": {
            "group_size": k,
            "sector_mix": "mixed",
            "avoid_same_organisation": True,
            "repeat_window": 2 if shape == "long_history" else None,
            "mentoring": False,
            "randomness": 2,
            "seed": seed,
        },
        "members": members,
        "history": history,
    }


CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
method, path, out = sys.argv[1:4]
problem = json.load(open(path))
from pairing.matching import solve
from pairing.matching.problem import parse_problem
# Warm up (imports, compiled kernels, HiGHS) on small cohorts, as a running service is:
# the first exact grouping in a process loads its kernels (about 0.25 s).
from bench.group_table import make_cohort
solve({{"programme": {{"group_size": 3}}, "members": [{{"id": str(i)}} for i in range(7)]}})
solve(make_cohort(24, 5, 1))
started = time.perf_counter()
if method == "engine":
    solution = solve(problem)
elif method == "previous":
    import pairing.matching.group_search as group_search
    group_search.ANNEAL_MAX = 0  # the heuristic as it was: greedy, then swap search
    from pairing.matching.setpart import previous_groups
    from pairing.matching.solution import build_solution
    p = parse_problem(problem)
    groups, bound, degree = previous_groups(p)
    solution = build_solution(p, groups, bound, degree, 0.0)
else:
    from bench.matching import reference_groups
    solution = reference_groups(problem)
solution["seconds"] = time.perf_counter() - started
json.dump(solution, open(out, "w"))
"""


def run(method: str, path: str, root: str, limit: float) -> dict | None:
    """Solve in a fresh child; None if it took longer than ``limit`` or failed."""
    out = f"{path}.{method}.json"
    args = [sys.executable, "-c", CHILD.format(root=root), method, path, out]
    try:
        proc = subprocess.run(args, timeout=limit, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        print(proc.stderr.strip().splitlines()[-1:], file=sys.stderr)
        return {"failed": True}
    with open(out) as fh:
        sol = json.load(fh)
    sol["placed"] = sum(len(g["members"]) for g in sol["groups"])
    return sol


def cell(
    k: int, n: int, problems: int, methods: list[str], root: str, limit: float,
    give_up: int, saved: dict, save: str | None,
) -> dict:  # fmt: skip
    results: dict[str, list] = {m: [] for m in methods}
    timeouts = dict.fromkeys(methods, 0)
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(problems):
            path = os.path.join(tmp, f"k{k}-n{n}-{seed}.json")
            problem = make_cohort(n, k, seed)
            with open(path, "w") as fh:
                json.dump(problem, fh)
            digest = hashlib.sha256(json.dumps(problem, sort_keys=True).encode()).hexdigest()
            for m in methods:
                key = f"{m}:{k}:{n}:{seed}:{digest}:{limit}"
                if key in saved:
                    sol = saved[key]
                elif give_up and timeouts[m] >= give_up:
                    sol = None
                else:
                    sol = run(m, path, root, limit)
                    if save:
                        with open(save, "a") as fh:
                            fh.write(json.dumps({"key": key, "solution": sol}) + "\n")
                timeouts[m] += sol is None
                results[m].append(sol)
            done = ", ".join(f"{m} {_brief(results[m][-1])}" for m in methods)
            print(f"... k={k} N={n} problem {seed}: {done}", file=sys.stderr, flush=True)
    return results


def _brief(sol: dict | None) -> str:
    if sol is None:
        return "timeout"
    if sol.get("failed"):
        return "failed"
    return f"{sol['seconds']:.1f}s placed {sol['placed']} obj {sol['objective']}/{sol['bound']}"


def summarise(k: int, n: int, results: dict, limit: float) -> list[str]:
    lines = []
    best = {}
    for i in range(len(next(iter(results.values())))):
        done = [r[i] for r in results.values() if r[i] and not r[i].get("failed")]
        best[i] = max(((s["placed"], s["objective"]) for s in done), default=None)
    for method, sols in results.items():
        ok = [s for s in sols if s and not s.get("failed")]
        secs = [s["seconds"] for s in ok] + [limit] * (len(sols) - len(ok))
        proven = sum(s["objective"] == s["bound"] for s in ok)
        ratio = min((s["objective"] / s["bound"] if s["bound"] else 1.0 for s in ok), default=0)
        short_placed = sum(
            1 for i, s in enumerate(sols) if s and best[i] and s.get("placed", -1) < best[i][0]
        )
        worst_vs_best = min(
            (s["objective"] / best[i][1] if best[i][1] else 1.0
             for i, s in enumerate(sols) if s and best[i] and s.get("placed") == best[i][0]),
            default=None,
        )  # fmt: skip
        vs_best = f"{100 * worst_vs_best:>8.2f}%" if worst_vs_best is not None else f"{'-':>9}"
        lines.append(
            f"{k:>2} {n:>4} {method:<9} {statistics.median(secs):>8.2f} {max(secs):>8.2f} "
            f"{len(sols) - len(ok):>7} {100 * proven / len(sols):>7.0f}% "
            f"{100 * ratio:>8.2f}% {short_placed:>8} {vs_best}"
        )
    return lines


HEAD = (
    f"{'k':>2} {'N':>4} {'method':<9} {'median s':>8} {'worst s':>8} {'timeout':>7} "
    f"{'proven':>8} {'obj/bound':>9} {'fewer':>8} {'obj/best':>9}"
)


def main(
    ks: list[int], ns: list[int], problems: int, methods: list[str], limit: float,
    give_up: int = 0, save: str | None = None,
) -> None:  # fmt: skip
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    saved = {}
    if save and os.path.exists(save):
        with open(save) as fh:
            saved = {row["key"]: row["solution"] for row in map(json.loads, fh)}
    lines = []
    for k in ks:
        for n in ns:
            results = cell(k, n, problems, methods, root, limit, give_up, saved, save)
            lines.extend(summarise(k, n, results, limit))
    print(HEAD)
    print("-" * len(HEAD))
    print("\n".join(lines))
    print(
        "median/worst s: wall seconds inside the child (a timeout counts as the limit); "
        "proven: objective = its own bound; obj/bound: worst objective / bound; fewer: "
        "problems where it placed fewer members than the best method; obj/best: worst "
        "objective / best objective among methods that placed as many."
    )
