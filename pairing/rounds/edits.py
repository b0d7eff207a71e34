"""Organiser edits on a previewed round: move, swap, lock and unlock groups."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from members.models import Profile
from pairing.matching.evaluate import evaluate_groups
from pairing.models import Round, WhenAllMet
from pairing.rounds.eligibility import Eligibility, round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.pool import effective_problem
from pairing.rounds.preview import OPEN, member_names
from pairing.rounds.preview_refresh import draft_refresh
from pairing.rounds.problem import round_problem
from pairing.rounds.reasons import FIRST_IN_LINE, ORGANISER_MOVE


def round_draft_edit(
    *,
    pairing_round: Round,
    action: str,
    member: str = "",
    other: str = "",
    group: int | None = None,
) -> list[str]:
    """Organiser edits on the preview: move a member to a group, swap two members,
    lock or unlock a group. Refused (RoundError) if the result breaks a hard rule or
    changes a locked group. Returns the ids of members the edit left without a group."""
    if pairing_round.status not in OPEN or not pairing_round.draft:
        raise RoundError("Preview the round before editing it.")
    groups = [dict(g, members=list(g["members"])) for g in pairing_round.draft["groups"]]
    unplaced = list(pairing_round.draft.get("unplaced", []))
    where = {m: i for i, g in enumerate(groups) for m in g["members"]}
    touched: list[dict] = []  # only the groups this edit changes are checked
    if action in {"lock", "unlock"}:
        if group is None or not 0 <= group < len(groups):
            raise RoundError("Choose a group.")
        groups[group]["locked"] = action == "lock"
    elif action == "swap":
        if any(u["id"] in {member, other} for u in unplaced):
            raise RoundError(
                "Only members in groups can be swapped: move someone who has no group "
                "into one instead."
            )
        if member not in where or other not in where or where[member] == where[other]:
            raise RoundError("Choose two members from different groups to swap.")
        a, b = groups[where[member]]["members"], groups[where[other]]["members"]
        a[a.index(member)], b[b.index(other)] = other, member
        touched = [groups[where[member]], groups[where[other]]]
    elif action == "move":
        if group is not None and not 0 <= group < len(groups):
            raise RoundError(
                f"There is no group {group + 1}: choose a group from 1 to {len(groups)}."
            )
        if group is None or where.get(member) == group:
            raise RoundError("Choose a member and a different group to move them to.")
        if member in where:
            groups[where[member]]["members"].remove(member)
            groups[where[member]]["resized"] = True
        elif any(u["id"] == member for u in unplaced):
            unplaced = [u for u in unplaced if u["id"] != member]
        else:
            raise RoundError("That member is not in this preview.")
        groups[group]["members"].append(member)
        # Sizes the matching did not choose: its best-possible total no longer applies.
        groups[group]["resized"] = True
        touched = [groups[group]]
    else:
        raise RoundError("Unknown edit.")
    changed = [
        i
        for i, g in enumerate(pairing_round.draft["groups"])
        if g["members"] != groups[i]["members"]
    ]
    locked = [i + 1 for i in changed if groups[i].get("locked")]
    if locked:
        raise RoundError(f"Group {locked[0]} is locked: unlock it before changing who is in it.")
    left_alone = [m for g in groups if len(g["members"]) < 2 for m in g["members"]]
    for emptied in [g for g in groups if len(g["members"]) < 2]:
        unplaced += [
            {
                "id": m,
                "reason": "the organisers could not fit you into a group this round: "
                + FIRST_IN_LINE,
                "cause": ORGANISER_MOVE,
                "first_in_line": True,
            }
            for m in emptied["members"]
        ]
    groups = [g for g in groups if len(g["members"]) >= 2]
    checked = _check_rules(pairing_round, [g["members"] for g in touched if len(g["members"]) >= 2])
    before = pairing_round.draft
    # A lock changes no group: the preview's kept check still holds.
    pairing_round.draft = {**before, "groups": groups, "unplaced": unplaced}
    if checked is not None:
        # The kept check, brought up to date for the edited groups only.
        draft_refresh(pairing_round, before, *checked)
    pairing_round.save(update_fields=["draft"])
    return left_alone


def _check_rules(
    pairing_round: Round, groups: list[list[str]]
) -> tuple[dict, dict, Eligibility] | None:
    """Refuse the edit if one of `groups` breaks a rule; else the round's problem, the
    problem the rules are judged by and who takes part, on the draft's day."""
    if not groups:
        return None
    day = pairing_round.draft.get("today")
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    original = problem = round_problem(
        pairing_round=pairing_round, memberships=eligibility.eligible
    )
    if problem["programme"].get("repeat_window") is None:
        # "Never again" means: not while someone new is there to meet (small-pool rules).
        repeat = pairing_round.programme.when_all_met == WhenAllMet.REPEAT
        problem = effective_problem(problem, repeat_when_all_met=repeat)
        # For the refusal's words only (the engine never reads it): why a pair may not
        # meet again (``matching.evaluate``).
        setting = WhenAllMet.REPEAT if repeat else WhenAllMet.SIT_OUT
        problem = {**problem, "programme": {**problem["programme"], "when_all_met": setting}}
    judged = problem
    # Someone in the draft may have become ineligible since: name them too, never an id.
    named = {m for g in groups for m in g if m.isdigit()}
    names = {
        str(user_id): name
        for user_id, name in Profile.objects.filter(user_id__in=named).values_list(
            "user_id", "display_name"
        )
    } | member_names(eligibility.eligible)
    for evaluated in evaluate_groups(problem, groups, names):
        if evaluated["violations"]:
            raise RoundError(f"That change is not allowed: {evaluated['violations'][0]}.")
    return original, judged, eligibility
