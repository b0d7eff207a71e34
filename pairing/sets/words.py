"""Learning sets in words, for emails and pages: a member's turn with its day, who
facilitates, links to the site."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pairing.sets.models import LearningSet, Session
from pairing.sets.selectors import set_member_ids


def turn_words(session: Session, zone: dt.tzinfo) -> str:
    """ "session 6 (Tuesday 13 July 2027)": a turn as a member reads it, in their zone."""
    local = timezone.localtime(session.starts_at, zone)
    return f"session {session.number} ({local:%A} {local.day} {local:%B %Y})"


SHARED = "The set shares facilitation"


def facilitator_words(session: Session, *, held: bool = False) -> str:
    """Who facilitates `session`. A session `held` keeps its facilitator even if they
    have left the set since; one to come names only a member still in it."""
    learning_set = session.learning_set
    if learning_set.facilitator_email:
        return learning_set.facilitator_name or "An external facilitator"
    member = learning_set.facilitator or session.facilitator
    if member is not None and (held or member.pk in set_member_ids(learning_set)):
        return member.profile.display_name
    return SHARED


def set_facilitation(
    learning_set: LearningSet, first: Session | None, *, on_the_set_page: bool = False
) -> str:
    """The set's facilitation in words: its facilitator, or members taking turns (each
    session then names who facilitates it: in an email, "the set page says who")."""
    if first is None:
        return ""
    if learning_set.facilitator_email or learning_set.facilitator_id:
        return facilitator_words(first)
    if on_the_set_page:
        return "members take turns (each session below says who facilitates it)"
    return "members take turns (the set page says who facilitates each session)"


def times_words(count: int) -> str:
    """ "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def change_words(moved: int, refacilitated: int, updated: int) -> str:
    """A session's changes for the organisers: "moved once; facilitator changed twice"."""
    parts = [
        f"{what} {times_words(count)}"
        for what, count in (
            ("moved", moved),
            ("facilitator changed", refacilitated),
            ("calendar updated", updated),
        )
        if count
    ]
    return "; ".join(parts)
