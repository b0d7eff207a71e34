"""Preview a round without saving a match; the organiser's draft is kept on the round."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from pairing.matching.evaluate import evaluate_groups
from pairing.models import Membership, Round, RoundStatus, WhenAllMet
from pairing.rounds.eligibility import Eligibility, round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.pool import unmet_counts
from pairing.rounds.problem import round_problem, slug_names
from pairing.rounds.reasons import Unplaced, cause_counts
from pairing.rounds.solve import round_solve

# A round can be previewed (and edited, and run) until it has run; a failed round again.
OPEN = (RoundStatus.PLANNED, RoundStatus.FAILED)


@dataclass
class Preview:
    pairing_round: Round
    groups: list[dict]
    unplaced: list[dict]
    ineligible: list[tuple[Membership, str]]
    warnings: list[str]
    objective: int
    bound: float | None


def round_solution(pairing_round: Round, problem: dict, fixed: list[list[str]]) -> dict:
    """Solve `problem` for this round with the programme's small-pool setting."""
    programme = pairing_round.programme
    return round_solve(
        problem, fixed, repeat_when_all_met=programme.when_all_met == WhenAllMet.REPEAT
    )


def member_names(memberships: list[Membership]) -> dict[str, str]:
    """Display names by engine id, for messages organisers read (never database ids)."""
    return {str(m.user_id): m.user.profile.display_name for m in memberships}


def round_preview(*, pairing_round: Round, today: dt.date, reshuffle: bool = False) -> Preview:
    """Solve (or re-check) the round without saving any match. The organiser's draft,
    with locked groups kept on reshuffle, is stored on the round so edits persist."""
    if pairing_round.status not in OPEN:
        raise RoundError("This round has already run.")
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    draft = pairing_round.draft or {}
    keep = [g for g in draft.get("groups", []) if g.get("locked") or not reshuffle]
    solution = round_solution(pairing_round, problem, [g["members"] for g in keep])
    locked = {tuple(g["members"]) for g in keep if g.get("locked")}
    pairing_round.draft = {
        "groups": [
            {"members": g["members"], "locked": tuple(g["members"]) in locked}
            for g in solution["groups"]
        ],
        "unplaced": solution["unplaced"],
    }
    pairing_round.save(update_fields=["draft"])
    return _preview_from(pairing_round, solution, eligibility)


def _preview_from(pairing_round: Round, solution: dict, eligibility: Eligibility) -> Preview:
    problem = solution["problem"]
    by_id = {str(m.user_id): m for m in eligibility.eligible}
    names = member_names(eligibility.eligible)
    groups_ids = [g["members"] for g in solution["groups"]]
    evaluated = evaluate_groups(problem, groups_ids, names)
    unmet = unmet_counts(problem)
    for member_id, membership in by_id.items():
        membership.unmet = unmet.get(member_id, 0)
    locked = [g["locked"] for g in pairing_round.draft["groups"]]
    slugs = slug_names()
    groups = [
        {
            "index": i,
            "members": [by_id[m] for m in g["members"]],
            "score": e["score"],
            "shared": [slugs.get(slug, slug) for slug in e["shared"]],
            "host": by_id.get(g.get("host") or e["host"]),
            "violations": e["violations"],
            "locked": locked[i],
        }
        for i, (g, e) in enumerate(zip(solution["groups"], evaluated, strict=True))
    ]
    unplaced = [
        {"membership": by_id[u["id"]], "reason": u["reason"], "first_in_line": u["first_in_line"]}
        for u in solution["unplaced"]
    ]
    after = unmet_counts(problem, groups_ids)
    return Preview(
        pairing_round,
        groups,
        unplaced,
        eligibility.ineligible,
        _warnings(problem, groups, solution["unplaced"], after, eligibility),
        sum(g["score"] for g in groups),
        solution.get("bound"),
    )


def _warnings(
    problem: dict,
    groups: list[dict],
    unplaced: list[dict],
    after: dict[str, int],
    eligibility: Eligibility,
) -> list[str]:
    warnings = []
    roles = Counter(m.get("mentoring") for m in problem["members"])
    if problem["programme"].get("mentoring") and roles["seek"] != roles["offer"]:
        warnings.append(
            f"Mentoring is unbalanced: {roles['seek']} member(s) seek a mentor and "
            f"{roles['offer']} offer; {abs(roles['seek'] - roles['offer'])} will wait, "
            "longest-waiting first next round."
        )
    exhausted = sum(1 for n in after.values() if n == 0) if len(after) > 1 else 0
    if exhausted:
        warnings.append(
            f"Pool nearly exhausted: after this round, {exhausted} member(s) will have met "
            "everyone eligible."
        )
    if unplaced:
        causes = cause_counts([Unplaced(**u) for u in unplaced])
        warnings.append(
            f"{len(unplaced)} member(s) cannot be placed this round and will be told why: "
            + "; ".join(causes)
            + "."
        )
    broken = sum(1 for g in groups if g["violations"])
    if broken:
        warnings.append(f"{broken} edited group(s) break a matching rule: fix them before running.")
    if len(eligibility.eligible) < 2:
        warnings.append("Fewer than two members are eligible: nobody can be matched.")
    return warnings
