"""The rota of a learning set after a change: presenters re-balanced when members leave
(`plan.rebalance`), and, with rotating facilitation, every session facilitated by a member
who is not presenting in it (after a swap or a leaver); a session given a new facilitator
goes out again to the set's calendars."""

from __future__ import annotations

import datetime as dt

from pairing.models import OutboxKind
from pairing.sets import plan
from pairing.sets.models import Facilitation, LearningSet, Presenter, Session, SessionStatus
from pairing.sets.notify import session_emails
from pairing.sets.selectors import set_member_ids


def rota_rebalance(*, learning_set: LearningSet, now: dt.datetime) -> None:
    """Re-plan the future sessions' presenters (`plan.rebalance`): members who left drop
    out, others keep their turns, everyone still has one."""
    sessions = list(
        learning_set.sessions.filter(status=SessionStatus.SCHEDULED)
        .order_by("number")
        .prefetch_related("presenters")
    )
    held = [[p.user_id for p in s.presenters.all()] for s in sessions if s.starts_at <= now]
    future = [s for s in sessions if s.starts_at > now]
    new = plan.rebalance(
        members=set_member_ids(learning_set),
        held=held,
        future=[[p.user_id for p in s.presenters.all()] for s in future],
    )
    Presenter.objects.filter(session__in=future).delete()
    Presenter.objects.bulk_create(
        [
            Presenter(session=s, user_id=user_id)
            for s, turn in zip(future, new, strict=True)
            for user_id in turn
        ]
    )
    facilitators_free(learning_set, list(zip(future, new, strict=True)))


def facilitators_free(learning_set: LearningSet, turns: list[tuple[Session, list[int]]]) -> None:
    """Rotating facilitation: each session's facilitator is a member of the set who is not
    presenting in it. After a leaver or a swap, a session whose facilitator left or now
    presents is given another member, taking turns as at forming."""
    if learning_set.cycle.facilitation != Facilitation.ROTATING:
        return
    members = set_member_ids(learning_set)
    changed = []
    for session, presenters in turns:
        if session.facilitator_id in members and session.facilitator_id not in presenters:
            continue
        chosen = plan.rotating_facilitator(members, presenters, session.number - 1)
        if chosen == session.facilitator_id:
            continue
        # A higher SEQUENCE: the members' calendars take the update, whose email says only
        # who facilitates changed (the time did not: never "moved").
        session.facilitator_id, session.sequence = chosen, session.sequence + 1
        Session.objects.filter(pk=session.pk).update(
            facilitator_id=chosen, sequence=session.sequence
        )
        session.learning_set = learning_set
        changed.append(session)
    session_emails(OutboxKind.SESSION_INVITE, changed, change="facilitator")
