"""Leaving a set: a member leaves one set, every set of a programme they leave, or every
set they are in when they delete their account. Re-exported by `services` (every write
is there); `members.services.member_delete` calls `sets_account_deleted` before the
account goes, as it asks `reports` for the member's data."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from members.models import User
from pairing.models import OutboxKind, Programme
from pairing.sets.guards import locked_set, tell_new_host
from pairing.sets.models import LearningSet, Presenter, Session, SetLeaver
from pairing.sets.notify import member_notices, session_emails, set_notice
from pairing.sets.rota import rota_rebalance
from pairing.sets.selectors import (
    has_session_to_come,
    is_future,
    set_host_id,
    set_member_ids,
    sets_of,
)
from pairing.sets.swap_rules import SetError

NOTHING_TO_LEAVE = "This set has no session still to come, so there is nothing to leave."


@transaction.atomic
def set_leave(
    *, learning_set: LearningSet, user: User, now: dt.datetime, tell_leaver: bool = True
) -> SetLeaver:
    """`user` leaves this set only: out of its future sessions (one email cancelling
    each in their calendar, unless `tell_leaver` is False: an account being deleted has
    no address left to write to), the rota re-balanced, the organisers told."""
    learning_set = locked_set(learning_set.pk)
    if user.pk not in set_member_ids(learning_set):
        raise SetError("You are not in this set.")
    future = [s for s in learning_set.sessions.all() if is_future(s, now)]
    if not future:
        # Its sessions are over (walk 45 could still leave, and the organisers were asked
        # to merge a finished set): nothing to leave, and the set stays as it met.
        raise SetError(NOTHING_TO_LEAVE)
    host = set_host_id(learning_set)
    leaver = SetLeaver.objects.create(learning_set=learning_set, user=user, left_at=now)
    if tell_leaver:
        for session in future:
            # A higher SEQUENCE, so the leaver's calendar accepts the cancellation.
            Session.objects.filter(pk=session.pk).update(sequence=session.sequence + 1)
            session.sequence += 1
            session.learning_set = learning_set
        # One email to the leaver, cancelling them all (a calendar file for each).
        session_emails(OutboxKind.SESSION_CANCEL, future[:1], users=[user.pk], change="left")
    Presenter.objects.filter(session__in=future, user=user).delete()
    rota = rota_rebalance(learning_set=learning_set, now=now)
    # Whoever took over a turn of the leaver's (a session left with no presenter) is told.
    member_notices(learning_set, "turns_left", rota.changed(), cause=f"left-{user.pk}")
    told_host = tell_new_host(learning_set, host, "host_left", cause=f"left-{user.pk}")
    # The others are told who left (walk 44: they expected them at the next session);
    # a new date keeper's own notice already names them.
    others = set(set_member_ids(learning_set)) - (
        {set_host_id(learning_set)} if told_host else set()
    )
    member_notices(learning_set, "member_left", sorted(others), cause=f"left-{user.pk}")
    set_notice(learning_set, "left", user.pk)
    return leaver


def sets_member_left_programme(*, user: User, programme: Programme, now: dt.datetime) -> int:
    """Leaving the programme leaves each of its sets that still has sessions to come."""
    left = 0
    for learning_set in sets_of(user=user).filter(cycle__programme=programme):
        if has_session_to_come(learning_set.sessions.all(), now):
            set_leave(learning_set=learning_set, user=user, now=now)
            left += 1
    return left


@transaction.atomic
def sets_account_deleted(*, user: User, now: dt.datetime) -> int:
    """Before `user`'s account is deleted: each set with sessions to come is left as
    leaving does (turns and facilitation passed on, the members concerned and the
    organisers told), and each session held that they facilitated is marked, so it shows
    "A former member" once the account is gone. Returns how many sets were left."""
    Session.objects.filter(facilitator=user, starts_at__lte=now).update(facilitator_gone=True)
    left = 0
    for learning_set in sets_of(user=user):
        if has_session_to_come(learning_set.sessions.all(), now):
            set_leave(learning_set=learning_set, user=user, now=now, tell_leaver=False)
            left += 1
    return left
