"""What taking part in a programme involves, in words, for the page a member joins from:
how often, for how long, and what each kind asks of them (share a strategy by a date,
come to a series of sessions), so nobody joins without knowing what they sign up for."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pairing.kinds import kind_of
from pairing.models import Programme
from pairing.sets.waiting import place_words, unplanned_cycle, waiting_cycle


def commitment(programme: Programme) -> str:
    kind = kind_of(programme)
    if kind.stable_groups:
        return _learning_set(programme)
    often = programme.get_cadence_days_display().lower()
    length = kind.meeting_words
    if kind.shares_work:
        days = programme.strategy_due_days
        return (
            f"Each round ({often}) you are paired with another member. Within {days} "
            f"day{'s' if days != 1 else ''} of the introduction, each of you shares a "
            "literature-search strategy you would like reviewed (pasted or uploaded; or you "
            "can take part to review only). You review your partner's with the PRESS 2015 "
            f"checklist, then meet for {length} to talk the reviews through."
        )
    if kind.offer_and_seek:
        return (
            f"You say whether you offer or seek mentoring. Each round ({often}) a member "
            "seeking mentoring is paired with a mentor at least as experienced, to talk for "
            f"{length} at a time you agree, online or in person."
        )
    return (
        f"Each round ({often}) we introduce you by email to another member (sometimes two) "
        f"to talk for {length} at a time you agree, online or in person. You can skip a "
        "round or pause whenever you need to."
    )


def _formed_on(day: dt.date | None) -> str:
    """When the sets are formed, in the tense the day needs: "will be formed on" before
    it, "are formed on" on it, "were formed on" after it."""
    if day is None:
        return "are formed when the organisers start the next cycle"
    today = timezone.localdate()
    verb = "will be" if day > today else "are" if day == today else "were"
    return f"{verb} formed on {day:%-d %B %Y}"


def _learning_set(programme: Programme) -> str:
    # The programme's own size (the kind allows 4 to 7); a few sets take one more member,
    # or one fewer, when the numbers do not divide (matching.md's size rule: 8 members in
    # sets of 5 form two sets of 4, which walk 32 met after a promise of "a few of 6").
    size = programme.group_size
    sizes = f"{size} (a few of {size - 1} or {size + 1} when the numbers need it)"
    cycle = waiting_cycle(programme)
    formed = f"Sets of {sizes} {_formed_on(programme.next_round_on)}"
    if cycle is None:
        # As the last cycle met, which the next one follows unless one is set up.
        usual = unplanned_cycle(programme.pk)
        where = f" {place_words(usual)}".rstrip()
        return (
            f"{formed}. Each set meets for a series of sessions (usually {usual.sessions} "
            f"sessions of {usual.length_words}, {usual.every_words}"
            f"{',' if where else ''}{where}); the organisers "
            "give the dates before the sets are formed. At each "
            "session members take turns to bring an issue and the set helps them think it "
            "through. Join if you can come to most of the sessions."
        )
    where = f" {place_words(cycle)}".rstrip()  # " online", " at <venue>", or nothing
    return (
        f"{formed}, and each set meets {cycle.sessions} times, "
        f"{cycle.length_words} each, {cycle.every_words}"
        f" from the week starting {cycle.first_session_on:%A %-d %B %Y}{where}. At each session "
        "members take turns to bring an issue and the set helps them think it through. Join "
        "if you can come to most of the sessions."
    )
