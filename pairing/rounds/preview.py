"""Preview a round without saving a match; the organiser's draft is kept on the round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pairing.matching.evaluate import evaluate_groups
from pairing.models import Membership, Round, RoundStatus
from pairing.rounds.eligibility import Eligibility, round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.problem import round_problem, slug_names
from pairing.rounds.solve import solve_with_fixed


@dataclass
class Preview:
    pairing_round: Round
    groups: list[dict]
    unplaced: list[dict]
    ineligible: list[tuple[Membership, str]]
    warnings: list[str]
    objective: int
    bound: float | None


def round_preview(*, pairing_round: Round, today: dt.date, reshuffle: bool = False) -> Preview:
    """Solve (or re-check) the round without saving any match. The organiser's draft,
    with locked groups kept on reshuffle, is stored on the round so edits persist."""
    if pairing_round.status != RoundStatus.PLANNED:
        raise RoundError("This round has already run.")
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    draft = pairing_round.draft or {}
    keep = [g for g in draft.get("groups", []) if g.get("locked") or not reshuffle]
    solution = solve_with_fixed(problem, [g["members"] for g in keep] if draft else [])
    locked = {tuple(g["members"]) for g in keep if g.get("locked")}
    pairing_round.draft = {
        "groups": [
            {"members": g["members"], "locked": tuple(g["members"]) in locked}
            for g in solution["groups"]
        ],
        "unplaced": solution["unplaced"],
    }
    pairing_round.save(update_fields=["draft"])
    return _preview_from(pairing_round, problem, solution, eligibility)


def _preview_from(
    pairing_round: Round, problem: dict, solution: dict, eligibility: Eligibility
) -> Preview:
    by_id = {str(m.user_id): m for m in eligibility.eligible}
    evaluated = evaluate_groups(problem, [g["members"] for g in solution["groups"]])
    locked = [g["locked"] for g in pairing_round.draft["groups"]]
    names = slug_names()
    groups = [
        {
            "index": i,
            "members": [by_id[m] for m in g["members"]],
            "score": e["score"],
            "shared": [names.get(slug, slug) for slug in e["shared"]],
            "host": by_id.get(g.get("host") or e["host"]),
            "violations": e["violations"],
            "locked": locked[i],
        }
        for i, (g, e) in enumerate(zip(solution["groups"], evaluated, strict=True))
    ]
    unplaced = [{"membership": by_id[u["id"]], "reason": u["reason"]} for u in solution["unplaced"]]
    return Preview(
        pairing_round,
        groups,
        unplaced,
        eligibility.ineligible,
        _warnings(problem, groups, unplaced, eligibility),
        sum(g["score"] for g in groups),
        solution.get("bound"),
    )


def _warnings(
    problem: dict, groups: list[dict], unplaced: list[dict], eligibility: Eligibility
) -> list[str]:
    warnings = []
    met: dict[str, set[str]] = {}
    for past in problem["history"]:
        for group in past["groups"]:
            for member in group:
                met.setdefault(member, set()).update(m for m in group if m != member)
    everyone = {m["id"] for m in problem["members"]}
    exhausted = [m for m in everyone if len(everyone) > 1 and everyone - {m} <= met.get(m, set())]
    if exhausted:
        warnings.append(
            f"Pool nearly exhausted: {len(exhausted)} member(s) have met everyone "
            "eligible this round."
        )
    if unplaced:
        warnings.append(
            f"{len(unplaced)} member(s) cannot be placed this round; they will be "
            "told why and come first next round."
        )
    broken = sum(1 for g in groups if g["violations"])
    if broken:
        warnings.append(f"{broken} edited group(s) break a matching rule: fix them before running.")
    if len(eligibility.eligible) < 2:
        warnings.append("Fewer than two members are eligible: nobody can be matched.")
    return warnings
