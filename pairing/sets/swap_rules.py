"""The rules of a swap of turns, apart from the writes: who may swap which turn, and
which turns are already offered in a swap waiting for an answer (never offered twice, so
two accepted swaps can never hand the same turn on twice)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from pairing.sets.models import LearningSet, RotaSwap, Session, SwapStatus
from pairing.sets.selectors import display_names, is_future, set_member_ids


class SetError(Exception):
    """A change to a set that cannot be made; the message is shown as it is."""


def presents(session: Session, user_id: int) -> bool:
    return session.presenters.filter(user_id=user_id).exists()


def check_swap(swap: RotaSwap, now: dt.datetime) -> None:
    members = set_member_ids(swap.learning_set)
    mine, theirs = swap.proposer_session, swap.partner_session
    if swap.proposer_id == swap.partner_id or {swap.proposer_id, swap.partner_id} - set(members):
        raise SetError("Both people must be members of the set.")
    if (
        mine.learning_set_id != swap.learning_set_id
        or theirs.learning_set_id != mine.learning_set_id
    ):
        raise SetError("Both turns must be in this set.")
    if not (is_future(mine, now) and is_future(theirs, now)) or mine.pk == theirs.pk:
        raise SetError("Both turns must be in different sessions still to come.")
    if not presents(mine, swap.proposer_id):
        raise SetError("That is not a turn you could give away: choose one of your own turns.")
    if not presents(theirs, swap.partner_id):
        raise SetError("Choose a turn the other member has.")
    # Both already present at one of the two sessions (co-presenters): say which, rather
    # than "not a turn you could give away" about the member's own turn (walk 39).
    if presents(mine, swap.partner_id):
        raise SetError(
            f"{_name(swap.partner_id)} already presents at session {mine.number}, so cannot "
            "take your turn there: choose a turn of someone who does not."
        )
    if presents(theirs, swap.proposer_id):
        raise SetError(
            f"You already present at session {theirs.number}: choose a turn at a session "
            "where you do not."
        )


def _name(user_id: int) -> str:
    return display_names([user_id]).get(user_id, "They")


def _waiting(learning_set_id: int, turns: list[tuple[int, int]]):
    """Swaps waiting for an answer that offer any of `turns` ((user, session) pairs)."""
    offers = Q(pk__in=[])
    for user_id, session_id in turns:
        offers |= Q(proposer_id=user_id, proposer_session_id=session_id)
        offers |= Q(partner_id=user_id, partner_session_id=session_id)
    return RotaSwap.objects.filter(
        offers, learning_set_id=learning_set_id, status=SwapStatus.PROPOSED
    )


def pending_turns(learning_set: LearningSet) -> set[tuple[int, int]]:
    """(user, session) of every turn offered in a swap waiting for an answer."""
    swaps = RotaSwap.objects.filter(learning_set=learning_set, status=SwapStatus.PROPOSED)
    turns = set()
    for swap in swaps.values_list(
        "proposer_id", "proposer_session_id", "partner_id", "partner_session_id"
    ):
        turns |= {swap[:2], swap[2:]}
    return turns


def check_not_pending(swap: RotaSwap) -> None:
    """A turn already offered in a swap waiting for an answer is not offered again."""
    mine = (swap.proposer_id, swap.proposer_session_id)
    theirs = (swap.partner_id, swap.partner_session_id)
    waiting = _waiting(swap.learning_set_id, [mine, theirs])
    if waiting.filter(
        Q(proposer_id=mine[0], proposer_session_id=mine[1])
        | Q(partner_id=mine[0], partner_session_id=mine[1])
    ).exists():
        raise SetError(
            "Your turn at that session is already offered in a swap waiting for an answer."
        )
    if waiting.exists():
        raise SetError(
            "That turn is already offered in another swap waiting for an answer: "
            "choose another, or wait until that swap is decided."
        )


def withdraw_overlapping(swap: RotaSwap, now: dt.datetime) -> int:
    """Once `swap` is accepted, other swaps waiting for an answer that offer either of its
    turns could no longer be made: they are withdrawn."""
    turns = [
        (swap.proposer_id, swap.proposer_session_id),
        (swap.partner_id, swap.partner_session_id),
    ]
    return (
        _waiting(swap.learning_set_id, turns)
        .exclude(pk=swap.pk)
        .update(status=SwapStatus.WITHDRAWN, decided_at=now)
    )
