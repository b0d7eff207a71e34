"""Learning sets in words, for emails and pages: a member's turn with its day, who
facilitates, links to the site."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from members.models import User
from pairing.sets.models import Facilitation, LearningSet, Session
from pairing.sets.selectors import set_member_ids


def turn_words(session: Session, zone: dt.tzinfo) -> str:
    """ "session 6 (Tuesday 13 July 2027)": a turn as a member reads it, in their zone."""
    local = timezone.localtime(session.starts_at, zone)
    return f"session {session.number} ({local:%A} {local.day} {local:%B %Y})"


SHARED = "The set shares facilitation"
# A cycle whose sets each have a named member facilitate, before one is named.
TO_BE_NAMED = "A member of the set will be named as facilitator"
TO_BE_NAMED_LATER = (
    "a member of the set will be named as facilitator (you will get an email saying who)"
)


def named_mode(learning_set: LearningSet) -> bool:
    """The cycle has a named member of each set facilitate (chosen once sets formed)."""
    return learning_set.cycle.facilitation == Facilitation.MEMBER


def named_facilitator(learning_set: LearningSet) -> User | None:
    """The member the organisers named the set's facilitator, while still in the set
    (none when an external facilitator is set: they facilitate)."""
    member = learning_set.facilitator
    if learning_set.facilitator_email or member is None:
        return None
    return member if member.pk in set_member_ids(learning_set) else None


def presenter_names(presenter_ids: list[int | None], names: dict[int, str]) -> list[str]:
    """A session's presenters by name, in turn. Accounts deleted since have no id: one
    reads "A former member", several "2 former members", once (not the phrase twice)."""
    gone = presenter_ids.count(None)
    former = "A former member" if gone == 1 else f"{gone} former members"
    shown = [former if p is None else names.get(p) for p in presenter_ids]
    first = shown.index(former) if gone else len(shown)
    return [w for i, w in enumerate(shown) if w and (w != former or i == first)]


def facilitator_words(session: Session, *, held: bool = False) -> str:
    """Who facilitates `session`. A session `held` keeps its facilitator even if they
    have left the set since; one to come names only a member still in it."""
    learning_set = session.learning_set
    if learning_set.facilitator_email:
        return learning_set.facilitator_name or "An external facilitator"
    member = learning_set.facilitator or session.facilitator
    if held and member is None and session.facilitator_gone:
        return "A former member"
    if member is not None and (held or member.pk in set_member_ids(learning_set)):
        return member.profile.display_name
    return TO_BE_NAMED if named_mode(learning_set) else SHARED


def facilitation_line(session: Session, user_id: int | None = None) -> str:
    """What a session's email says under "Facilitation": "Grace Lee facilitates" (or
    "You facilitate") for the member named the set's facilitator; else as
    `facilitator_words` (the external facilitator's or this session's facilitator's
    name, or that a member will be named, or that the set shares it)."""
    named = named_facilitator(session.learning_set)
    if named is not None:
        return (
            "You facilitate" if named.pk == user_id else f"{named.profile.display_name} facilitates"
        )
    words = facilitator_words(session)
    mine = session.facilitator_id is not None and session.facilitator_id == user_id
    # This session's facilitator in the rota reads "You facilitate", not their own name
    # (walk 33), once it is them the words name (not a member who has left the set).
    if mine and words == session.facilitator.profile.display_name:
        return "You facilitate"
    return words


def set_facilitation(
    learning_set: LearningSet,
    first: Session | None,
    *,
    on_the_set_page: bool = False,
    viewer_id: int | None = None,
) -> str:
    """The set's facilitation in words: its external facilitator; the member named
    ("Grace Lee facilitates every session"); in a cycle that names a member of each set,
    that one will be named; else members taking turns (each session then names who
    facilitates it: in an email, "the set page says who")."""
    if first is None:
        return ""
    if learning_set.facilitator_email:
        return facilitator_words(first)
    named = named_facilitator(learning_set)
    if named is not None:
        if named.pk == viewer_id:
            return "you facilitate every session"
        return f"{named.profile.display_name} facilitates every session"
    if named_mode(learning_set):
        return TO_BE_NAMED_LATER
    if learning_set.facilitator_id:
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
