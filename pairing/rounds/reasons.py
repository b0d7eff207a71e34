"""Why a member was not placed, in plain words: told to the member (with "first in line
next round" only where a partner could exist then) and counted for organisers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from pairing.matching.problem import parse_problem
from pairing.matching.scoring import pair_allowed
from pairing.rounds.pool import forbidding, last_met, partners_met, unmet_counts

FIRST_IN_LINE = "you are first in line next round"
# Told to a seeker whom the mentors who could take them cannot all take next round.
MENTOR_QUEUE = "each round, those who have waited longest are offered a mentor first"
# The cause for a member an organiser's move or swap left alone in a group (not the one moved).
ORGANISER_MOVE = "left without a group by an organiser's edit"
SMALL_COUNT = 5  # counts below this are never shown to members
LEFT_OVER = "left over (no group had room, and the rules keep them apart)"


@dataclass(frozen=True)
class Unplaced:
    id: str
    reason: str  # what the member is told
    cause: str  # what organisers see, counted
    first_in_line: bool


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
    unmet = unmet_counts(problem)
    recent = forbidding(problem["history"], problem["programme"].get("repeat_window"))
    met = partners_met(last_met(recent, set(members)))
    kept_out = _kept_out_of_groups_with_room(problem, [u["id"] for u in unplaced], groups)
    pool = _Pool(len(members), len(unplaced), [len(g) for g in groups])
    programme = problem["programme"]
    fits = _mentoring_fits(problem, unplaced) if programme.get("mentoring") else {}
    explained = [
        _explain(u, members, unmet, met, programme, region_names, repeat_when_all_met, fits)
        or _left_over(u, programme, pool)
        for u in unplaced
    ]
    return [
        _rules_kept_out(u) if u.id in kept_out and u.cause == LEFT_OVER else u for u in explained
    ]


def _kept_out_of_groups_with_room(
    problem: dict, unplaced: list[str], groups: Sequence[list[str]]
) -> set[str]:
    """Those of `unplaced` whom a hard rule keeps out of every group that had room for one
    more (fewer than group size + 1 members), where there was such a group."""
    size = problem["programme"].get("group_size", 2)
    with_room = [g for g in groups if len(g) < size + 1]
    if size <= 2 or not with_room or not unplaced:
        return set()
    p = parse_problem(problem)
    index = {member_id: i for i, member_id in enumerate(p.ids)}
    others = np.array([index[m] for g in with_room for m in g])
    starts = np.cumsum([0] + [len(g) for g in with_room[:-1]])
    out = set()
    for member_id in unplaced:  # one vectorised check against everyone in those groups
        allowed = pair_allowed(p, np.full(len(others), index[member_id]), others)
        if not np.logical_and.reduceat(allowed, starts).any():
            out.add(member_id)
    return out


def _rules_kept_out(unplaced: Unplaced) -> Unplaced:
    return Unplaced(
        unplaced.id,
        "the groups with room this round each had someone you cannot be grouped with (the "
        "same organisation, the meeting format, or an earlier choice), and too few members "
        f"were left over to form another group: {FIRST_IN_LINE}",
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
    fits: dict[str, _Fit],
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
    fit, where = fits.get(member_id), _where(me, region_names)
    mentoring = _mentoring(me, members, fit, where) if programme.get("mentoring") else None
    if mentoring:
        return mentoring
    in_person = _in_person(
        me, members, met.get(member_id, set()), region_names, programme.get("group_size", 2)
    )
    if in_person:
        return in_person
    if unmet.get(member_id) == 0:
        return _met_everyone(member_id, programme, repeat_when_all_met)
    if engine_reason.startswith("no compatible partner"):
        return Unplaced(
            member_id,
            "nobody taking part this round could be matched with you (the same "
            "organisation, the meeting format, or an earlier choice): we will introduce you "
            "as soon as someone who can be matched with you takes part",
            "no compatible partner (organisation, format or an earlier choice)",
            False,
        )
    if fit is not None and me.get("mentoring") == "seek" and not fit.promised:
        return Unplaced(
            member_id,
            f"every mentor who could be matched with you had a mentee this round: {MENTOR_QUEUE}",
            "waiting for a mentor (every one who could take them paired)",
            False,
        )
    return None


@dataclass(frozen=True)
class _Pool:
    taking_part: int
    unplaced: int
    group_sizes: list[int]


def _left_over(item: dict, programme: dict, pool: _Pool) -> Unplaced:
    """Partners exist, but every one is placed: why, for pairs and for groups."""
    member_id, size = item["id"], programme.get("group_size", 2)
    if size > 2:
        return _left_over_of_groups(member_id, size, pool)
    if pool.taking_part % 2 and pool.unplaced == 1:
        # The engine proves no pair could take them as a third (a rule with one of each
        # pair); next to groups an organiser kept, no such proof was made.
        proven = item.get("reason", "").endswith("no pair could take a third member")
        return Unplaced(
            member_id,
            "an odd number of members are taking part this round, so one is left without a "
            "partner"
            + (
                ", and the rules (the same organisation, the meeting format, meeting before, "
                "or an earlier choice) kept you out of every pair that could have become a three"
                if proven
                else ""
            )
            + f": {FIRST_IN_LINE}",
            "odd one out (an odd number taking part)",
            True,
        )
    return Unplaced(
        member_id,
        "everyone taking part this round who could be matched with you already had a "
        f"partner: {FIRST_IN_LINE}",
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
    # all be in one group together (organisation, format or an earlier choice).
    return Unplaced(
        member_id,
        "no group this round could take one more member, and too few of the members "
        "left over could all be in one group with you (the same organisation, the "
        f"meeting format, or an earlier choice): {FIRST_IN_LINE}",
        LEFT_OVER,
        True,
    )


@dataclass(frozen=True)
class _Fit:
    """Whom of the other mentoring role an unplaced member could be paired with, by the
    engine's rules (all but the repeat one), and how many wait with them for those."""

    partners: int  # under every rule
    meet: bool  # someone who can meet the way they can (format and region)
    experience: bool  # someone with the experience the pairing needs
    both: bool  # someone with both (organisation and blocks aside)
    ahead: int  # unplaced of their role waiting as long or longer for one of the same

    @property
    def promised(self) -> bool:
        # One mentor cannot introduce three who waited as long next round.
        return self.ahead <= self.partners


_OTHER = {"seek": "offer", "offer": "seek"}


def _mentoring_fits(problem: dict, unplaced: list[dict]) -> dict[str, _Fit]:
    p = parse_problem({**problem, "history": []})
    index = {member_id: i for i, member_id in enumerate(p.ids)}
    free = replace(p, avoid_same_organisation=False, exc_keys=np.zeros(0, np.int64))
    variants = (p, replace(free, mentoring=False), replace(free, fmt=np.zeros_like(p.fmt)), free)
    role = {m["id"]: m.get("mentoring") for m in problem["members"]}
    waited = {m["id"]: m.get("waited", 0) for m in problem["members"]}
    of = {r: np.asarray([index[o] for o in role if role[o] == r], np.int64) for r in _OTHER}
    checks, allowed = {}, {}
    for member_id in (u["id"] for u in unplaced if role.get(u["id"]) in _OTHER):
        others = of[_OTHER[role[member_id]]]
        if len(others):
            mine = np.full(len(others), index[member_id])
            allowed[member_id], *rest = (pair_allowed(v, mine, others) for v in variants)
            checks[member_id] = (int(allowed[member_id].sum()), *(bool(r.any()) for r in rest))
    return {
        m: _Fit(
            *check,
            sum(  # served in order of waiting (the engine's bonus)
                role[o] == role[m] and waited[o] >= waited[m] and bool(allowed[o] @ allowed[m])
                for o in checks
            ),
        )
        for m, check in checks.items()
    }


def _mentoring(me: dict, members: dict[str, dict], fit: _Fit | None, where: str) -> Unplaced | None:
    if fit is not None and not fit.partners:
        return _no_mentoring_partner(me, fit, where)
    roles = Counter(m.get("mentoring") for m in members.values())
    seeks, offers = roles["seek"], roles["offer"]
    # Members never see a count of 1-4 (product.md), not even by subtraction (7 asked and
    # 5 offered tells that 2 wait): then the balance is said in words.
    shown = min(seeks, offers, abs(seeks - offers)) >= SMALL_COUNT
    if me.get("mentoring") == "seek" and offers < seeks:
        told = (
            f"{seeks} members asked for a mentor and {offers} offered"
            if shown
            else "more members asked for a mentor than offered to be one this round"
        )
        promised = fit is not None and fit.promised
        return Unplaced(
            me["id"],
            f"{told}: {FIRST_IN_LINE if promised else MENTOR_QUEUE}",
            f"waiting for a mentor ({seeks} asked, {offers} offered)",
            promised,
        )
    if me.get("mentoring") == "offer" and seeks < offers:
        told = (
            f"{offers} members offered mentoring and {seeks} asked for a mentor"
            if shown
            else "more members offered mentoring than asked for a mentor this round"
        )
        # Not "first in line next round": an introduction needs someone to ask for a
        # mentor, so the email makes no promise of one.
        return Unplaced(
            me["id"],
            f"{told}: you are first in line when someone asks for one",
            f"waiting for a mentee ({offers} offered, {seeks} asked)",
            False,
        )
    return None


def _no_mentoring_partner(me: dict, fit: _Fit, where: str) -> Unplaced:
    """Nobody of the other role could be paired with them: the first rule that keeps them
    apart, in words (meeting format, experience, then organisation and blocks)."""
    how = {"in_person": f"in person {where}", "online": "online"}.get(
        me.get("format"), f"online or in person {where}"
    )
    step = 0 if not fit.meet else 1 if not fit.experience else 2 if not fit.both else 3
    seeking = me.get("mentoring") == "seek"
    them = "mentor" if seeking else "member asking for a mentor"
    senior = "at least as much experience as you" if seeking else "more experience than you"
    who = "no mentor" if seeking else "everyone asking for a mentor"
    told = (
        f"no {them} taking part this round can meet {how}",
        f"{who} this round has {senior}",
        f"{who} who can meet {how} this round has {senior}",
        f"no {them} taking part this round could be matched with you (the same "
        "organisation or an earlier choice)",
    )[step]
    cause = (
        "can meet their way",
        "fits their experience",
        "both meets their way and fits their experience",
        "is compatible (organisation or an earlier choice)",
    )[step]
    return Unplaced(
        me["id"],
        f"{told}: we will introduce you as soon as a {them} who can be matched with you takes part",
        f"no {'mentor' if seeking else 'mentee'} taking part {cause}",
        False,
    )


def _where(me: dict, region_names: dict[str, str]) -> str:
    region = me.get("region")
    return f"in {region_names.get(region, region)}" if region else "in your region"


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


def _met_everyone(member_id: str, programme: dict, repeat_when_all_met: bool) -> Unplaced:
    window = programme.get("repeat_window")
    if window:
        return Unplaced(
            member_id,
            f"you have met everyone taking part this round within the last {window} "
            "rounds: you can meet them again after that, or sooner when someone new joins",
            "has met everyone taking part (repeat window)",
            False,
        )
    later = "" if repeat_when_all_met else ": the programme does not repeat partners, so you "
    return Unplaced(
        member_id,
        "you have met everyone in this programme who is taking part this round"
        + (later + "will be introduced when someone new joins" if later else ""),
        "has met everyone taking part",
        False,
    )


def cause_counts(explained: list[Unplaced]) -> list[str]:
    """Organiser lines, most common first: "3 waiting for a mentor (7 asked, 3 offered)"."""
    counts = Counter(u.cause for u in explained)
    return [f"{n} {cause}" for cause, n in counts.most_common()]
