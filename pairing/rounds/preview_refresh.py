"""After an organiser's edit of a large round's draft: the draft and what the preview
page keeps of its last check, as a re-check would make them, worked out for the groups
the edit changed only (re-checking a national network's round takes seconds).

It holds when the kept check saw the same inputs as the edit (nobody left, joined or
changed since): a re-check then keeps every group (each edited one was checked against
the rules), leaves out those the draft leaves out, and changes nothing else but the
hosts of edited groups, the unplaced entries' record and the bound. Small cohorts (round
robin, a relaxed second try) are simply re-checked by the next preview."""

from __future__ import annotations

from itertools import combinations

from pairing.matching.evaluate import evaluate_groups
from pairing.models import Round
from pairing.rounds.eligibility import Eligibility
from pairing.rounds.pool import ROUND_ROBIN_MAX, Rules, last_met, unmet_counts
from pairing.rounds.preview import _member_key
from pairing.rounds.preview_notes import group_shared, meets_again, round_warnings
from pairing.rounds.preview_view import member_names, view_key
from pairing.rounds.problem import slug_names
from pairing.rounds.solve import plain_scores
from pairing.rounds.unplaced import told_again


def draft_refresh(
    pairing_round: Round, before: dict, problem: dict, chosen: dict, eligibility: Eligibility
) -> None:
    """Bring `pairing_round.draft` (just edited from `before`) and its kept check up to
    date, in memory, as the next re-check would; or drop the kept check, so that the next
    preview re-checks the draft. `problem` and `eligibility` are the round's inputs on
    the draft's day; `chosen` is the problem the matching rules are judged by."""
    draft = pairing_round.draft
    view = before.get("view")
    draft.pop("view", None)
    if (
        not view
        or len(problem["members"]) <= ROUND_ROBIN_MAX
        or view.get("key") != view_key(before, problem, eligibility)
    ):
        return
    names = member_names(eligibility.eligible)
    kept = {
        frozenset(g["members"]): v for g, v in zip(before["groups"], view["groups"], strict=True)
    }
    edited = [i for i, g in enumerate(draft["groups"]) if frozenset(g["members"]) not in kept]
    members = [draft["groups"][i]["members"] for i in edited]
    evaluated = evaluate_groups(chosen, members, names)
    keys = {m["id"]: m for m in problem["members"]}
    if any(e["violations"] for e in evaluated) or any(
        u["id"] not in keys for u in draft["unplaced"]
    ):
        return  # a re-check would break a group up: the next preview re-checks the draft
    scores = plain_scores(chosen, members)
    met_view = {
        **problem,
        "programme": {
            **problem["programme"],
            "repeat_window": chosen["programme"]["repeat_window"],
        },
    }
    present = {m["id"] for m in problem["members"]}
    last = last_met(met_view["history"], present)
    interests = {m["id"]: set(m.get("interests") or ()) for m in problem["members"]}
    slugs = slug_names()
    groups = [dict(g) for g in draft["groups"]]
    entries = [kept.get(frozenset(g["members"])) for g in groups]
    for i, e, score in zip(edited, evaluated, scores, strict=True):
        group = groups[i]
        if group.get("host") not in group["members"]:
            group["host"] = e["host"]  # a re-check's host, as for any kept group
        entries[i] = {
            "score": score,
            "shared": group_shared(e["shared"], group["members"], interests, slugs, names),
            "host": group["host"],
            "violations": e["violations"],
            "met_before": [
                " and ".join(names[m] for m in sorted(pair, key=names.get))
                for pair in map(frozenset, combinations(group["members"], 2))
                if pair in last
            ],
        }
    # A re-check records each left-out member's engine key (and a second round out).
    unplaced = sorted(
        (
            told_again({**u, "key": _member_key(keys[u["id"]])}, keys[u["id"]].get("waited", 0))
            for u in draft["unplaced"]
        ),
        key=lambda u: u["id"],
    )
    still_out = {u["id"] for u in unplaced}
    resized = any(g.get("resized") for g in groups)
    pairing_round.draft = {
        **draft,
        "groups": groups,
        "unplaced": unplaced,
        "changed": [m for m in draft.get("changed", []) if m in still_out],
        "bound": None if resized else draft.get("bound"),
    }
    may_repeat = met_view["programme"].get("repeat_window") == 0
    window = None if may_repeat else "programme"
    rules = Rules(met_view)
    after = unmet_counts(met_view, [g["members"] for g in groups], window=window, rules=rules)
    after = {
        m: n for m, n in after.items() if n or rules.allowed(m, [o for o in present if o != m])
    }
    checked = round_warnings(
        chosen, entries, unplaced, after, eligibility, may_repeat,
        meets_again=meets_again(pairing_round.programme),
    )  # fmt: skip
    pairing_round.draft["view"] = {
        "key": view_key(pairing_round.draft, problem, eligibility),
        "groups": entries,
        "unmet": view["unmet"],
        "checked": checked,
    }
