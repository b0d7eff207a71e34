"""The certificate of ``pairing/matching/group_cuts.py`` (the pair relaxation with
triangle and star cuts) round by round, with no time limit, on a cohort of
``bench/group_table.py`` (seed 1 is the ``big_org`` shape); README, "Large rounds".

    python bench/cut_bound.py --n 1000 --k 7 --seed 0 [--rounds 12] [--no-stars]
                              [--solver ipm|simplex|pdlp]

Each round prints its bound (weak duality over every pair, valid whatever HiGHS
reached), the time so far, and the cuts and priced pairs it added. ``--solver simplex``
re-solves by the dual simplex from the last basis (what was tried first: minutes per
round once the cuts pile up); the engine uses ``ipm`` (interior point, no crossover).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.group_table import make_cohort
from pairing.matching import group_cuts
from pairing.matching.problem import parse_problem
from pairing.matching.scoring import dense


def cut_bound(
    raw: dict, rounds: int, stars: bool = True, report=None, solver: str = "ipm"
) -> float:
    """The lowest bound over ``rounds`` rounds of cuts and pricing on the cohort ``raw``,
    with no time limit (the engine's ``group_cuts.cut_bound`` has one)."""
    p = parse_problem(raw)
    allowed, score = dense(p)
    return group_cuts.cut_bound(
        p, allowed, score, np.inf, rounds=rounds, stars=stars, solver=solver, report=report
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--k", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--no-stars", action="store_true")
    parser.add_argument("--solver", default="ipm", choices=["ipm", "simplex", "pdlp"])
    args = parser.parse_args()

    def report(number, bound, seconds, added, priced):
        print(
            f"round {number}: bound {bound:,.1f} at {seconds:.0f} s "
            f"({added} cuts, {priced} pairs added)",
            flush=True,
        )

    raw = make_cohort(args.n, args.k, args.seed)
    cut_bound(raw, args.rounds, stars=not args.no_stars, report=report, solver=args.solver)


if __name__ == "__main__":
    main()
