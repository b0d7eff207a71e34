"""Why a member was not placed, in plain words: told to the member (with "priority next
round" only where a partner could exist then) and counted for organisers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pairing.matching.problem import parse_problem
from pairing.matching.scoring import pair_allowed
from pairing.rounds.pool import Rules, forbidding, last_met, partners_met, unmet_counts
from pairing.rounds.reasons_mentoring import (
    Fit,
    mentor_queue_reason,
    mentoring_fits,
    mentoring_reason,
)
from pairing.rounds.unplaced import FIRST_IN_LINE, RULE_WORDS, Unplaced, third_rules
from pairing.rounds.unplaced import rules_in_order as _in_order
from pairing.rounds.unplaced import rules_listed as _listed
from pairing.rounds.unplaced import where as _where

__all__ = ["FIRST_IN_LINE", "ORGANISER_MOVE", "Unplaced", "cause_counts", "explain_unplaced"]

# The cause for a member an organiser's move or swap left alone in a group (not the one moved).
ORGANISER_MOVE = "left without a group by an organiser's edit"
LEFT_OVER = "left over (no group had room, and the rules keep them apart)"


def explain_unplaced(
    problem: dict,
    unplaced: list[dict],
    *,
    region_names: dict[str, str],
    repeat_when_all_met: bool,
    groups: Sequence[list[str]] = (),
) -> list[Unplaced]:
    """The real cause for each unplaced member. `problem` is what the engine was given;
    `groups` the groups formed (to tell when the rules kept someone out of one with room)."""
    members = {m["id"]: m for m in problem["members"]}
    if not unplaced:
        return []
    rules = Rules(problem)
    unmet = unmet_counts(problem, rules=rules)
    recent = forbidding(problem["history"], problem["programme"].get("repeat_window"))
    met = partners_met(last_met(recent, set(members)))
    left = [u["id"] for u in unplaced]
    kept_out, in_room = _kept_out_of_groups_with_room(problem, left, groups)
    pool = _Pool(len(members), [len(g) for g in groups], rules, left, met)
    programme = problem["programme"]
    fits = mentoring_fits(problem, unplaced) if programme.get("mentoring") else {}
    explained = [
        _explain(u, members, unmet, met, programme, region_names, repeat_when_all_met, fits, rules)
        or _left_over(u, programme, pool, members.get(u["id"], {}).get("mentoring"))
        for u in unplaced
    ]
    return [
        _rules_kept_out(u, rules, in_room) if u.id in kept_out and u.cause == LEFT_OVER else u
        for u in explained
    ]


def _kept_out_of_groups_with_room(
    problem: dict, unplaced: list[str], groups: Sequence[list[str]]
) -> tuple[set[str], list[str]]:
    """Those of `unplaced` whom a hard rule keeps out of every group that had room for one
    more (fewer than group size + 1 members), where there was such a group; and the
    members of those groups."""
    size = problem["programme"].get("group_size", 2)
    with_room = [g for g in groups if len(g) < size + 1]
    in_room = [m for g in with_room for m in g]
    if size <= 2 or not with_room or not unplaced:
        return set(), in_room
    p = parse_problem(problem)
    index = {member_id: i for i, member_id in enumerate(p.ids)}
    others = np.array([index[m] for g in with_room for m in g])
    starts = np.cumsum([0] + [len(g) for g in with_room[:-1]])
    out = set()
    for member_id in unplaced:  # one vectorised check against everyone in those groups
        allowed = pair_allowed(p, np.full(len(others), index[member_id]), others)
        if not np.logical_and.reduceat(allowed, starts).any():
            out.add(member_id)
    return out, in_room


def _rules_kept_out(unplaced: Unplaced, rules: Rules, in_room: list[str]) -> Unplaced:
    """Said with only the rules that keep the member from someone in those groups (walk
    32: "the same organisation, the meeting format, or an earlier choice" where only the
    organisation applied)."""
    kept = _in_order(rules.kept_by(unplaced.id, in_room)) or list(RULE_WORDS)
    return Unplaced(
        unplaced.id,
        "the groups with room this round each had someone you cannot be grouped with "
        f"({_listed(kept, 0, ', or ')}), and too few members were left over to form "
        f"another group: {FIRST_IN_LINE}",
        "left over (the rules kept them out of the groups with room)",
        True,
    )


def _explain(
    item: dict,
    members: dict[str, dict],
    unmet: dict[str, int],
    met: dict[str, set[str]],
    programme: dict,
    region_names: dict[str, str],
    repeat_when_all_met: bool,
    fits: dict[str, Fit],
    rules: Rules,
) -> Unplaced | None:
    """The member's own cause (mentoring, meeting in person, met everyone, nobody
    compatible); None when they were left over with partners to be had."""
    member_id, engine_reason = item["id"], item.get("reason", "")
    me = members.get(member_id, {})
    if len(members) == 1:
        return Unplaced(
            member_id,
            f"you were the only member taking part this round: {FIRST_IN_LINE}",
            "the only member taking part",
            True,
        )
    fit = fits.get(member_id)
    mentoring = (
        mentoring_reason(
            me,
            members,
            fit,
            _where(me, region_names),
            unmet=unmet.get(member_id),
            programme=programme,
            repeat_when_all_met=repeat_when_all_met,
        )
        if programme.get("mentoring")
        else None
    )
    if mentoring:
        return mentoring
    in_person = _in_person(
        me, members, met.get(member_id, set()), region_names, programme.get("group_size", 2)
    )
    if in_person:
        return in_person
    if unmet.get(member_id) == 0:
        # None unmet: "met everyone" only when there is someone the rules allow to meet.
        others = [o for o in members if o != member_id]
        allowed = rules.allowed(member_id, others)
        if allowed:
            kept = [] if len(allowed) == len(others) else _kept_by(rules, member_id, members)
            # Each of them still has someone new: a pair meets again only when neither
            # does (matching.md), which the member and the organiser are told (walk 43).
            busy = all(unmet.get(o, 0) > 0 for o in allowed if o in met.get(member_id, ()))
            return _met_everyone(member_id, programme, repeat_when_all_met, kept, busy)
        return _no_partner(me, region_names, _kept_by(rules, member_id, members))
    if engine_reason.startswith("no compatible partner"):
        return _no_partner(me, region_names, _kept_by(rules, member_id, members))
    if fit is not None and me.get("mentoring") == "seek" and not fit.promised:
        return mentor_queue_reason(member_id)
    return None


@dataclass(frozen=True)
class _Pool:
    taking_part: int
    group_sizes: list[int]
    rules: Rules
    left: list[str]  # the ids of those unplaced
    met: dict[str, set[str]]  # who has met whom, within the repeat window

    @property
    def unplaced(self) -> int:
        return len(self.left)


def _left_over(item: dict, programme: dict, pool: _Pool, role: str | None = None) -> Unplaced:
    """Partners exist, but every one is placed: why, for pairs and for groups; in
    mentoring, in the roles' words (`role`: "seek" or "offer")."""
    member_id, size = item["id"], programme.get("group_size", 2)
    if size > 2:
        return _left_over_of_groups(member_id, size, pool)
    if pool.taking_part % 2 and pool.unplaced == 1:
        # The engine proves no pair could take them as a third (a rule with one of each
        # pair); next to groups an organiser kept, no such proof was made.
        proven = item.get("reason", "").endswith("no pair could take a third member")
        others = [o for o in pool.rules.index if o != member_id]
        kept = _in_order(pool.rules.kept_by(member_id, others))
        third = third_rules(kept, bool(pool.met.get(member_id))) if proven else ""
        return Unplaced(
            member_id,
            "an odd number of members are taking part this round, so one is left without a "
            "partner"
            + (
                f", and {third} kept you out of every pair that could have become a three"
                if third
                else ""
            )
            + f": {FIRST_IN_LINE}",
            "odd one out (an odd number taking part)",
            True,
        )
    everyone = {
        # Walk 46: a mentee was told everyone "already had a partner".
        "seek": "every mentor taking part this round who could be matched with you already "
        "had a mentee",
        "offer": "everyone asking for a mentor this round who could be matched with you "
        "already had a mentor",
    }.get(
        role or "",
        "everyone taking part this round who could be matched with you already had a partner",
    )
    return Unplaced(
        member_id,
        f"{everyone}: {FIRST_IN_LINE}",
        "odd one out (every compatible partner already paired)",
        True,
    )


def _left_over_of_groups(member_id: str, size: int, pool: _Pool) -> Unplaced:
    smallest = max(2, size - 1)  # the size rule's smallest group
    if not pool.group_sizes and pool.taking_part < smallest:
        return Unplaced(
            member_id,
            f"too few members are taking part this round to form a group: {FIRST_IN_LINE}",
            "too few taking part to form a group",
            True,
        )
    if pool.group_sizes and min(pool.group_sizes) > size and pool.unplaced < smallest:
        return Unplaced(
            member_id,
            "every group this round already has as many members as it can take, and too few "
            f"were left over to form another group: {FIRST_IN_LINE}",
            "left over (every group full, too few left for another)",
            True,
        )
    # Partners exist, but no group could take one more, and those left over could not
    # all be in one group together: named by the rules that keep the member from some of
    # them (none when the others are kept from each other).
    kept = _in_order(pool.rules.kept_by(member_id, [o for o in pool.left if o != member_id]))
    return Unplaced(
        member_id,
        "no group this round could take one more member, and too few of the members "
        "left over could all be in one group with you"
        + (f" ({_listed(kept, 0, ', or ')})" if kept else "")
        + f": {FIRST_IN_LINE}",
        LEFT_OVER,
        True,
    )


def _in_person(
    me: dict, members: dict[str, dict], met: set[str], region_names: dict[str, str], size: int
) -> Unplaced | None:
    if me.get("format") != "in_person":
        return None
    region, where = me.get("region"), _where(me, region_names)
    nearby = [
        m["id"]
        for m in members.values()
        if m["id"] != me["id"] and region and m.get("region") == region
        and m.get("format") in {"in_person", "either"}
    ]  # fmt: skip
    if nearby and set(nearby) <= met:
        return Unplaced(
            me["id"],
            f"everyone else who can meet in person {where} this round is someone you have "
            "already met: choose online or either to meet someone new",
            f"in person only, has met everyone {where}",
            False,
        )
    if len(nearby) >= size - 1:
        return None
    if nearby:
        # A group needs size - 1 others who can all meet in person here.
        return Unplaced(
            me["id"],
            f"too few members who can meet in person {where} take part this round to make a "
            f"group of {size}: choose online or either to be matched, or wait for more "
            "members nearby",
            f"in person only, too few {where} for a group",
            False,
        )
    return Unplaced(
        me["id"],
        f"nobody else meets in person {where} this round: choose online or either to be matched",
        f"in person only, nobody else {where}",
        False,
    )


def _kept_by(rules: Rules, member_id: str, members: dict[str, dict]) -> list[str]:
    """Which of the rules in `RULE_WORDS` keep someone taking part from the member, in that
    order (`Rules.kept_by`: the engine's own). A block either way is "an earlier choice":
    the member who was blocked never learns it, and reads the same words as the one who
    blocked."""
    return _in_order(rules.kept_by(member_id, [o for o in members if o != member_id]))


def _no_partner(me: dict, region_names: dict[str, str], kept: list[str]) -> Unplaced:
    """Nobody taking part could ever be matched with `me`: said with the rules that keep
    them apart this round (`kept`), never which rule of whose (walk 31: the organisation
    and the format were named to two members kept apart only by a block)."""
    if me.get("format") == "in_person":
        where = _where(me, region_names)
        rules = [r for r in kept if r != "format"] or ["organisation", "choice"]
        return Unplaced(
            me["id"],
            f"nobody else who can meet in person {where} this round can be matched with you "
            f"({_listed(rules, 0, ', or ')}): choose online or either to be matched",
            f"in person only, nobody compatible {where} ({_listed(rules, 1, ' or ')})",
            False,
        )
    rules = kept or list(RULE_WORDS)
    return Unplaced(
        me["id"],
        f"nobody taking part this round could be matched with you ({_listed(rules, 0, ', or ')}"
        "): we will introduce you as soon as someone who can be matched with you takes part",
        f"no compatible partner ({_listed(rules, 1, ' or ')})",
        False,
    )


def _met_everyone(
    member_id: str, programme: dict, repeat_when_all_met: bool, kept: list[str], busy: bool
) -> Unplaced:
    """`kept`: the rules that keep some taking part from the member (none: everyone
    else could be matched with them). With some, "everyone" is "everyone who could be
    matched with you", naming those rules (walk 28: a member who had met 3 of 7 was told
    she had met everyone taking part; walk 32: only the rules that applied)."""
    everyone = not kept
    who = (
        "everyone taking part this round"
        if everyone
        else "everyone taking part this round who could be matched with you "
        f"({_listed(kept, 0, ' or ')} rules out the others)"
    )
    window = programme.get("repeat_window")
    if window:
        met = (
            f"you have met {who} within the last {window} rounds"
            if everyone
            else f"within the last {window} rounds, you have met {who}"
        )
        return Unplaced(
            member_id,
            f"{met}: you can meet them again after that, or sooner when someone new joins",
            "has met everyone they could meet (repeat window)",
            False,
        )
    later = "" if repeat_when_all_met else ": the programme does not repeat partners, so you "
    if everyone:
        who = "everyone in this programme who is taking part this round"
    if repeat_when_all_met and busy:
        return Unplaced(
            member_id,
            f"you have met {who}, and each of them still has someone new to meet: partners "
            "meet again only when neither has anyone new, so you will be introduced again "
            "when one of them has met everyone too, or when someone new joins",
            "has met everyone they could meet, and their past partners still have someone new",
            False,
        )
    return Unplaced(
        member_id,
        f"you have met {who}"
        + (later + "will be introduced when someone new joins" if later else ""),
        "has met everyone they could meet",
        False,
    )


def cause_counts(explained: list[Unplaced]) -> list[str]:
    """Organiser lines, most common first: "3 waiting for a mentor (7 asked, 3 offered)"."""
    counts = Counter(u.cause for u in explained)
    # "2 odd ones out", not "2 odd one out" (walk 43).
    return [
        f"{n} {cause.replace('odd one out', 'odd ones out') if n > 1 else cause}"
        for cause, n in counts.most_common()
    ]
