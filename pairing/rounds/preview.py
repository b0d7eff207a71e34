"""Preview a round without saving a match; the organiser's draft is kept on the round."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from itertools import combinations

from pairing.matching.evaluate import evaluate_groups
from pairing.models import Round, RoundStatus, WhenAllMet
from pairing.rounds.eligibility import Eligibility, round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.pool import Rules, last_met, unmet_counts
from pairing.rounds.preview_notes import (
    group_shared,
    meets_again,
    round_warnings,
)
from pairing.rounds.preview_view import (
    Preview,
    kept_view,
    member_names,
    preview_warnings,
    view_key,
    view_of,
)
from pairing.rounds.problem import round_problem, slug_names
from pairing.rounds.reasons import ORGANISER_MOVE
from pairing.rounds.solve import round_solve
from pairing.rounds.unplaced import for_organisers, told_again

# A round can be previewed (and edited, and run) until it has run; a failed round again.
OPEN = (RoundStatus.PLANNED, RoundStatus.FAILED)


def round_solution(
    pairing_round: Round, problem: dict, draft: dict, fixed: list[list[str]]
) -> dict:
    """Solve `problem` for this round with the programme's small-pool setting, keeping the
    `fixed` groups, and out of any group those the `draft` (when it is kept) left out."""
    programme = pairing_round.programme
    grouped = {m for g in draft.get("groups", []) for m in g["members"]}
    keys = {m["id"]: _member_key(m) for m in problem["members"]}
    unchanged = _unchanged(draft.get("unplaced", []), keys)
    changed = {u["id"] for u in draft.get("unplaced", [])} - {u["id"] for u in unchanged}
    if grouped - set(keys):
        # Someone in the draft left, paused or is skipping since: their groups break up
        # and those in them are placed again, and with them those the matching left out
        # of the old pool (an odd one out, say), told the reason that holds now. Those an
        # organiser's edit left out stay out; newcomers alone change nothing of the draft.
        unchanged = [u for u in unchanged if u.get("cause") == ORGANISER_MOVE]
    draft = {**draft, "unplaced": unchanged}
    kept_out = frozenset(u["id"] for u in draft["unplaced"]) - grouped
    solution = round_solve(
        problem,
        fixed,
        repeat_when_all_met=programme.when_all_met == WhenAllMet.REPEAT,
        kept_out=kept_out,
        # Someone whose group broke up (a member left) may join an unlocked kept group.
        fillable=frozenset(
            frozenset(g["members"]) for g in draft.get("groups", []) if not g.get("locked")
        ),
    )
    waited = {m["id"]: m.get("waited", 0) for m in problem["members"]}
    solution["unplaced"] = [
        told_again({**u, "key": keys.get(u["id"])}, waited.get(u["id"], 0))
        for u in as_the_organiser_left_them(draft, solution["unplaced"])
    ]
    solution["bound"], solution["bound_for"] = _bound_kept(draft, solution)
    solution["changed"] = sorted(changed)  # left out by the draft; profile changed since
    # A group the draft kept keeps the host the organiser saw (a reshuffle draws a new
    # seed, which would otherwise break the tie between equal hosts another way).
    hosts = {frozenset(g["members"]): g.get("host") for g in draft.get("groups", [])}
    resized = {frozenset(g["members"]) for g in draft.get("groups", []) if g.get("resized")}
    for group in solution["groups"]:
        host = hosts.get(frozenset(group["members"]))
        if host in group["members"]:
            group["host"] = host
        group["resized"] = frozenset(group["members"]) in resized
    return solution


def _member_key(member: dict) -> str:
    """What the engine knows of a member (profile, format, region, blocks...), hashed."""
    text = json.dumps(member, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _unchanged(unplaced: list[dict], keys: dict[str, str]) -> list[dict]:
    """Those the draft left out whom the engine would see as then: someone who changed
    their profile since (now meeting online, say) is grouped again if they can be. An
    entry without a key (an organiser's edit) stays as the organiser left it."""
    return [u for u in unplaced if u.get("key", keys.get(u["id"])) == keys.get(u["id"])]


def _bound_kept(draft: dict, solution: dict) -> tuple[float | None, str]:
    """The bound to show with `solution`, and the engine input it holds for. With groups
    kept fixed the engine bounds only the rest, so the draft's bound is shown while the
    engine's input is the same as when it was proven (any grouping of it with the same
    group sizes, an organiser's swaps included, is worth no more); otherwise none. A move
    changes group sizes (a pair made a three scores three pairs), so none is shown then."""
    text = json.dumps(solution["problem"], sort_keys=True, default=str)
    key = hashlib.sha256(text.encode()).hexdigest()
    if solution.get("bound") is not None:
        return solution["bound"], key
    if any(g.get("resized") for g in draft.get("groups", [])):
        return None, key
    if draft.get("bound_for") == key:
        return draft.get("bound"), key
    return None, key


def as_the_organiser_left_them(draft: dict, unplaced: list[dict]) -> list[dict]:
    """Someone the draft left out (the engine, or an organiser's edit) is told what the
    preview said (and so when the round runs), not a new guess."""
    before = {u["id"]: u for u in draft.get("unplaced", [])}
    return [before.get(u["id"], u) for u in unplaced]


def round_preview(
    *, pairing_round: Round, today: dt.date, reshuffle: bool = False, seed: int | None = None
) -> Preview:
    """Solve (or re-check) the round without saving any match. The organiser's draft,
    with locked groups kept on reshuffle, is stored on the round so edits persist. A
    reshuffle draws a new seed (or takes `seed`), so the programme's randomness can
    give other groups of near-equal score. A re-check whose inputs (who takes part, their
    profiles, blocks and history, the names shown, the draft itself) are what the last
    check saw shows what that check kept with the draft, without the engine."""
    if pairing_round.status in OPEN and not reshuffle:
        inputs = _inputs(pairing_round, today)
        kept = kept_view(pairing_round, *inputs)
        if kept is not None:
            return kept
    else:
        inputs = None
    solution, _eligibility = preview_solution(
        pairing_round=pairing_round, today=today, reshuffle=reshuffle, seed=seed, inputs=inputs
    )
    pairing_round.save(update_fields=["seed", "draft"])
    return solution["preview"]


def _inputs(pairing_round: Round, today: dt.date) -> tuple[dict, Eligibility]:
    """Who takes part `today`, and the engine's problem for them."""
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    return problem, eligibility


def preview_solution(
    *,
    pairing_round: Round,
    today: dt.date,
    reshuffle: bool = False,
    seed: int | None = None,
    inputs: tuple[dict, Eligibility] | None = None,
    with_view: bool = True,
) -> tuple[dict, Eligibility]:
    """The engine's work of a preview: sets `pairing_round.seed` (on reshuffle) and
    `pairing_round.draft` in memory and returns the solution; the caller saves them.
    `inputs` (the problem and eligibility of `today`) saves reading them again. With
    `with_view`, the solution's `preview` is what the page shows, and the draft keeps it
    (so the first look after the worker formed the groups runs no matching)."""
    if pairing_round.status not in OPEN:
        raise RoundError("This round has already run.")
    if reshuffle:
        pairing_round.seed = secrets.randbelow(2**31) if seed is None else seed
    problem, eligibility = inputs if inputs is not None else _inputs(pairing_round, today)
    draft = pairing_round.draft or {}
    keep = [g for g in draft.get("groups", []) if g.get("locked") or not reshuffle]
    # A re-check keeps the draft as the organiser left it: those it left out stay out
    # (until a reshuffle); only members new to the round are grouped.
    reshuffled = {"bound": draft.get("bound"), "bound_for": draft.get("bound_for"), "groups": keep}
    solution = round_solution(
        pairing_round, problem, reshuffled if reshuffle else draft, [g["members"] for g in keep]
    )
    if reshuffle:  # locked groups keep their numbers; new groups fill the rest in order
        solution["groups"] = _in_place(draft.get("groups", []), solution["groups"])
        # A group that came out the same again keeps its host (the new seed breaks ties
        # another way), so "the same groups came out best again" shows the same rows.
        hosts = {frozenset(g["members"]): g.get("host") for g in draft.get("groups", [])}
        for group in solution["groups"]:
            group["host"] = hosts.get(frozenset(group["members"])) or group["host"]
    locked = {tuple(g["members"]) for g in keep if g.get("locked")}
    # Members of the draft's groups who no longer take part (left, paused, skipping):
    # their groups were broken up, which the organiser is told until the next reshuffle.
    present = {m["id"] for m in problem["members"]}
    earlier = [] if reshuffle else draft.get("dropped", [])
    dropped = {*earlier, *(m for g in keep for m in g["members"])} - present
    # Those the draft left out who changed their profile since: a re-check keeps the
    # draft's groups, so the organiser is told a reshuffle may now place them.
    still_out = {u["id"] for u in solution["unplaced"]}
    earlier_changed = [] if reshuffle else draft.get("changed", [])
    changed = {*earlier_changed, *solution["changed"]} & still_out & present
    pairing_round.draft = {
        "groups": [
            {
                "members": g["members"],
                "locked": tuple(g["members"]) in locked,
                "host": g["host"],
                **({"resized": True} if g.get("resized") else {}),
            }
            for g in solution["groups"]
        ],
        "unplaced": solution["unplaced"],
        "dropped": sorted(dropped),
        "changed": sorted(changed),
        "bound": solution["bound"],
        "bound_for": solution["bound_for"],
        # Edits are checked against who was eligible on the day the preview was made.
        "today": today.isoformat(),
    }
    if with_view:
        preview = solution["preview"] = _preview_from(pairing_round, solution, eligibility)
        key = view_key(pairing_round.draft, problem, eligibility)
        pairing_round.draft["view"] = view_of(preview, key)
    return solution, eligibility


def _in_place(before: list[dict], groups: list[dict]) -> list[dict]:
    """`groups` reordered so that each locked group of `before` keeps its position."""
    where = {frozenset(g["members"]): i for i, g in enumerate(before) if g.get("locked")}
    slots: list[dict | None] = [None] * len(groups)
    rest = []
    for group in groups:
        i = where.get(frozenset(group["members"]))
        if i is not None and i < len(slots) and slots[i] is None:
            slots[i] = group
        else:
            rest.append(group)
    fill = iter(rest)
    return [g if g is not None else next(fill) for g in slots]


def _preview_from(pairing_round: Round, solution: dict, eligibility: Eligibility) -> Preview:
    problem, met_view = solution["problem"], solution["met_view"]
    by_id = {str(m.user_id): m for m in eligibility.eligible}
    names = member_names(eligibility.eligible)
    groups_ids = [g["members"] for g in solution["groups"]]
    evaluated = evaluate_groups(problem, groups_ids, names)
    # With a repeat window of 0 (a learning set: people may meet again, the engine just
    # prefers new faces) "not yet met" counts the whole history, not the empty window.
    may_repeat = met_view["programme"].get("repeat_window") == 0
    window = None if may_repeat else "programme"
    rules = Rules(met_view)  # the before and after counts share one parse of the problem
    unmet = unmet_counts(met_view, window=window, rules=rules)
    last = last_met(met_view["history"], set(by_id))
    for member_id, membership in by_id.items():
        membership.unmet = unmet.get(member_id, 0)
    locked = [g["locked"] for g in pairing_round.draft["groups"]]
    slugs = slug_names()
    interests = {m["id"]: set(m.get("interests") or ()) for m in problem["members"]}
    groups = [
        {
            "index": i,
            "members": [by_id[m] for m in g["members"]],
            "score": g["score"],  # without the seed's jitter: the same group, the same score
            "shared": group_shared(e["shared"], g["members"], interests, slugs, names),
            "host": by_id.get(g.get("host") or e["host"]),
            "violations": e["violations"],
            "locked": locked[i],
            "met_before": [
                " and ".join(names[m] for m in sorted(pair, key=names.get))
                for pair in map(frozenset, combinations(g["members"], 2))
                if pair in last
            ],
        }
        for i, (g, e) in enumerate(zip(solution["groups"], evaluated, strict=True))
    ]
    unplaced = [
        {
            "membership": by_id[u["id"]],
            "reason": u["reason"],
            "why": for_organisers(u["reason"]),  # the same, in the third person
            "first_in_line": u["first_in_line"],
        }
        for u in solution["unplaced"]
    ]
    after = unmet_counts(met_view, groups_ids, window=window, rules=rules)
    # "Met everyone" only for a member the rules let meet someone (as the left-out reasons
    # decide): a newcomer nobody can be matched with has 0 left to meet, and met nobody.
    after = {m: n for m, n in after.items() if n or rules.allowed(m, [o for o in by_id if o != m])}
    checked = round_warnings(
        problem, groups, solution["unplaced"], after, eligibility, may_repeat,
        meets_again=meets_again(pairing_round.programme),
    )  # fmt: skip
    return Preview(
        pairing_round,
        groups,
        unplaced,
        eligibility.ineligible,
        preview_warnings(pairing_round, checked, names),
        sum(g["score"] for g in groups),
        solution.get("bound"),
        any(g.get("resized") for g in pairing_round.draft["groups"]),
        checked,
    )
