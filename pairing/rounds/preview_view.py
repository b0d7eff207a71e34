"""A preview as the page shows it, and what a draft's last check keeps of it: a re-check
whose inputs are unchanged shows that, without the engine (a national network's round
takes seconds to check)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from pairing.models import Membership, Round
from pairing.rounds.eligibility import Eligibility
from pairing.rounds.preview_notes import (
    again_warning,
    changed_warning,
    dropped_warning,
    too_soon_warning,
)
from pairing.rounds.problem import slug_names
from pairing.rounds.unplaced import for_organisers


@dataclass
class Preview:
    pairing_round: Round
    groups: list[dict]
    unplaced: list[dict]
    ineligible: list[tuple[Membership, str]]
    warnings: list[str]
    objective: int
    bound: float | None
    # An organiser's move changed a group's size: the engine's bound no longer applies.
    resized: bool = False
    # The warnings the check itself gave (kept with the draft; the rest are read afresh).
    checked: list[str] = field(default_factory=list)


def member_names(memberships: list[Membership]) -> dict[str, str]:
    """Display names by engine id, for messages organisers read (never database ids)."""
    return {str(m.user_id): m.user.profile.display_name for m in memberships}


def preview_warnings(pairing_round: Round, checked: list[str], names: dict[str, str]) -> list[str]:
    """The check's own warnings among those about the round's date, who left or changed
    since the draft and who was left out before (read afresh: they are cheap)."""
    draft = pairing_round.draft
    return [
        *too_soon_warning(pairing_round),
        *dropped_warning(draft.get("dropped", [])),
        *changed_warning(draft.get("changed", []), names),
        *checked,
        *again_warning(pairing_round, [u["id"] for u in draft.get("unplaced", [])], names),
    ]


def kept_view(pairing_round: Round, problem: dict, eligibility: Eligibility) -> Preview | None:
    """The preview the draft's last check made, if nothing it depends on changed since."""
    view = (pairing_round.draft or {}).get("view")
    if not view or view.get("key") != view_key(pairing_round.draft, problem, eligibility):
        return None
    draft = pairing_round.draft
    by_id = {str(m.user_id): m for m in eligibility.eligible}
    for member_id, membership in by_id.items():
        membership.unmet = view["unmet"].get(member_id, 0)
    groups = [
        {
            "index": i,
            "members": [by_id[m] for m in g["members"]],
            "score": v["score"],
            "shared": v["shared"],
            "host": by_id.get(v["host"]) if v["host"] else None,
            "violations": v["violations"],
            "locked": g["locked"],
            "met_before": v["met_before"],
        }
        for i, (g, v) in enumerate(zip(draft["groups"], view["groups"], strict=True))
    ]
    unplaced = [
        {
            "membership": by_id[u["id"]],
            "reason": u["reason"],
            "why": for_organisers(u["reason"]),
            "first_in_line": u["first_in_line"],
        }
        for u in draft["unplaced"]
    ]
    names = member_names(eligibility.eligible)
    return Preview(
        pairing_round,
        groups,
        unplaced,
        eligibility.ineligible,
        preview_warnings(pairing_round, view["checked"], names),
        sum(g["score"] for g in groups),
        draft.get("bound"),
        any(g.get("resized") for g in draft["groups"]),
        view["checked"],
    )


def view_key(draft: dict, problem: dict, eligibility: Eligibility) -> str:
    """What a re-check's result depends on, hashed: the engine's input (members,
    profiles, blocks, history, settings, seed), who is not eligible and why, the names
    and interests shown, and the draft (its groups' locks aside: a lock changes no group)."""
    draft = {k: v for k, v in draft.items() if k != "view"}
    draft["groups"] = [{k: v for k, v in g.items() if k != "locked"} for g in draft["groups"]]
    text = json.dumps(
        [
            problem,
            [(m.user_id, reason) for m, reason in eligibility.ineligible],
            member_names(eligibility.eligible),
            slug_names(),
            draft,
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def view_of(preview: Preview, key: str) -> dict:
    """What the page shows of a check that the draft does not hold, kept with it."""
    members = [m for g in preview.groups for m in g["members"]]
    members += [u["membership"] for u in preview.unplaced]
    return {
        "key": key,
        "groups": [
            {
                "score": g["score"],
                "shared": g["shared"],
                "host": str(g["host"].user_id) if g["host"] else None,
                "violations": g["violations"],
                "met_before": g["met_before"],
            }
            for g in preview.groups
        ],
        "unmet": {str(m.user_id): getattr(m, "unmet", 0) for m in members},
        "checked": preview.checked,
    }
