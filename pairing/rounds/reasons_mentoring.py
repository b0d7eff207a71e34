"""Why a member of a mentoring programme was not placed: nobody of the other role they
could be paired with (meeting format, experience, organisation or blocks), every one of
them met already, or more of their role than of the other."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from pairing.matching.problem import parse_problem
from pairing.matching.scoring import pair_allowed
from pairing.rounds.unplaced import FIRST_IN_LINE, SMALL_COUNT, Unplaced

# Told to a seeker whom the mentors who could take them cannot all take next round.
MENTOR_QUEUE = "each round, those who have waited longest are offered a mentor first"


@dataclass(frozen=True)
class Fit:
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


def mentoring_fits(problem: dict, unplaced: list[dict]) -> dict[str, Fit]:
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
        m: Fit(
            *check,
            sum(  # served in order of waiting (the engine's bonus)
                role[o] == role[m] and waited[o] >= waited[m] and bool(allowed[o] @ allowed[m])
                for o in checks
            ),
        )
        for m, check in checks.items()
    }


def mentoring_reason(
    me: dict,
    members: dict[str, dict],
    fit: Fit | None,
    where: str,
    *,
    unmet: int | None,
    programme: dict,
    repeat_when_all_met: bool,
) -> Unplaced | None:
    if fit is not None and not fit.partners:
        return _no_mentoring_partner(me, fit, where)
    roles = Counter(m.get("mentoring") for m in members.values())
    if fit is not None and unmet == 0:
        # Every partner they could have is someone they have met: the balance of roles is
        # not why (the preview shows them "0 not yet met").
        others = roles[_OTHER[me["mentoring"]]]
        return _met_every_partner(me, fit.partners < others, programme, repeat_when_all_met)
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
        # No promise of "next round": an introduction needs someone to ask for a
        # mentor, so the email makes no promise of one.
        return Unplaced(
            me["id"],
            f"{told}: you have priority when someone asks for one",
            f"waiting for a mentee ({offers} offered, {seeks} asked)",
            False,
        )
    return None


def mentor_queue_reason(member_id: str) -> Unplaced:
    """A seeker the mentors who could take them cannot all take next round."""
    return Unplaced(
        member_id,
        f"every mentor who could be matched with you had a mentee this round: {MENTOR_QUEUE}",
        "waiting for a mentor (every one who could take them paired)",
        False,
    )


def _met_every_partner(
    me: dict, some_apart: bool, programme: dict, repeat_when_all_met: bool
) -> Unplaced:
    """Met every partner of the other role they could be paired with: when they may meet
    one again is the engine's rule (pool.effective_problem): after the repeat window; with
    none, once that partner has met everyone new to them too, if the programme repeats."""
    seeking = me.get("mentoring") == "seek"
    whom = "every mentor taking part" if seeking else "everyone asking for a mentor"
    told = f"you have met {whom} this round" + (
        " who can be matched with you" if some_apart else ""
    )
    new = "a new mentor joins" if seeking else "someone new asks for a mentor"
    window = programme.get("repeat_window")
    cause = f"has met every {'mentor' if seeking else 'mentee'} taking part"
    if window:
        return Unplaced(
            me["id"],
            f"{told} within the last {window} rounds: you can meet them again after that, or "
            f"sooner when {new}",
            f"{cause} (repeat window)",
            False,
        )
    if not repeat_when_all_met:
        return Unplaced(
            me["id"],
            f"{told}: the programme does not repeat partners, so you will be introduced when {new}",
            cause,
            False,
        )
    again = (
        "a mentor you have met once they have met everyone asking for a mentor who can be "
        "matched with them, or to a new mentor when one joins"
        if seeking
        else "someone you have mentored once they have met every mentor who can be matched "
        "with them, or to someone new when they ask for a mentor"
    )
    return Unplaced(me["id"], f"{told}: we can introduce you again to {again}", cause, False)


def _no_mentoring_partner(me: dict, fit: Fit, where: str) -> Unplaced:
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
    then = f"we will introduce you as soon as a {them} who can be matched with you takes part"
    if step == 1:
        # Experience alone: nothing in their profile to change (the email offers no edit).
        then = "there is nothing for you to change, and we will introduce you as soon as " + (
            "a mentor with at least as much experience as you takes part"
            if seeking
            else "someone with no more experience than you asks for a mentor"
        )
    return Unplaced(
        me["id"],
        f"{told}: {then}",
        f"no {'mentor' if seeking else 'mentee'} taking part {cause}",
        False,
    )
