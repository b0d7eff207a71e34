"""What an organiser's edit of a draft should do: refused when malformed or when a group
it changes would break a rule on the day the draft was previewed, accepted otherwise."""

from __future__ import annotations

import datetime as dt

from pairing.matching.evaluate import evaluate_groups
from pairing.models import Round
from pairing.rounds import round_eligibility, round_problem
from pairing.rounds.pool import effective_problem


def groups_changed(draft: dict, action: str, member: str, other: str, group: int) -> list | None:
    """The groups an edit changes, as they would be after it (empty for lock and
    unlock), or None when the edit is malformed and must be refused."""
    groups = [list(g["members"]) for g in draft["groups"]]
    unplaced = {u["id"] for u in draft.get("unplaced", [])}
    where = {m: i for i, g in enumerate(groups) for m in g}
    valid_group = 0 <= group < len(groups)
    if action in {"lock", "unlock"}:
        return [] if valid_group else None
    if action == "swap":
        if member not in where or other not in where or where[member] == where[other]:
            return None
        a, b = groups[where[member]], groups[where[other]]
        a[a.index(member)], b[b.index(other)] = other, member
        return [a, b]
    if action == "move":
        if not valid_group or where.get(member) == group:
            return None
        if member not in where and member not in unplaced:
            return None
        changed = [[*groups[group], member]]
        if member in where:
            source = [m for m in groups[where[member]] if m != member]
            changed += [source] if len(source) >= 2 else []
        return changed
    return None


def rule_breaks(pairing_round: Round, groups: list[list[str]], today: dt.date) -> list[str]:
    """The rules `groups` would break in this round, judged on `today` (who is eligible,
    blocks, history; with no repeat window, the small-pool rules)."""
    if not groups:
        return []
    programme = pairing_round.programme
    eligible = round_eligibility(programme=programme, today=today).eligible
    problem = round_problem(pairing_round=pairing_round, memberships=eligible)
    if programme.repeat_window is None:
        repeat = programme.when_all_met == "repeat"
        problem = effective_problem(problem, repeat_when_all_met=repeat)
    return [v for e in evaluate_groups(problem, groups) for v in e["violations"]]
