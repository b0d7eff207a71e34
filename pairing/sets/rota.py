"""The rota of a learning set after a change: presenters re-balanced when members leave
or a session is cancelled (`plan.rebalance`), and, with rotating facilitation, every
session facilitated by a member who is not presenting in it (after a swap or a leaver);
a session given a new facilitator goes out again to the set's calendars, as an update
that says only the facilitator changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from members.models import User
from pairing.models import OutboxKind
from pairing.sets import plan
from pairing.sets.models import Facilitation, LearningSet, Presenter, Session, SessionStatus
from pairing.sets.notify import session_emails
from pairing.sets.selectors import set_member_ids


@dataclass
class Rota:
    """The future sessions' presenters before and after a re-balance (not yet saved)."""

    future: list[Session]
    before: list[list[int]]
    after: list[list[int]]
    members: list[int] = field(default_factory=list)

    def turns(self, user_id: int, *, new: bool = True) -> set[int]:
        """The ids of the future sessions `user_id` presents at (before or after)."""
        turns = self.after if new else self.before
        return {s.pk for s, turn in zip(self.future, turns, strict=True) if user_id in turn}

    def changed(self) -> list[int]:
        """The members still in the set whose future turns are not what they were."""
        return [m for m in self.members if self.turns(m) != self.turns(m, new=False)]

    def joined(self) -> list[tuple[Session, list[int], list[int]]]:
        """Sessions that gain presenters: (session, those presenting there already,
        all its presenters after)."""
        return [
            (s, [u for u in b if u in a], a)
            for s, b, a in zip(self.future, self.before, self.after, strict=True)
            if set(a) - set(b)
        ]

    def crowded(self, limit: int = 2) -> list[tuple[Session, int]]:
        """Sessions that gain presenters and would then have more than `limit`."""
        return [(s, len(a)) for s, _kept, a in self.joined() if len(a) > limit]

    def carried_to(self, user_id: int) -> Session | None:
        """Where a cancelled session's presenter's turn went: the session they gained."""
        gained = self.turns(user_id) - self.turns(user_id, new=False)
        return next((s for s in self.future if s.pk in gained), None)


def rota_plan(
    *, learning_set: LearningSet, now: dt.datetime, cancelled: Session | None = None
) -> Rota:
    """The re-balanced rota (`plan.rebalance`) without saving it: members who left drop
    out, others keep their turns, everyone still has one, and the presenters of
    `cancelled` (when given, and not yet saved as cancelled) get a turn at a later
    session where one has room."""
    sessions = list(
        learning_set.sessions.filter(status=SessionStatus.SCHEDULED)
        .order_by("number")
        .prefetch_related("presenters")
    )
    if cancelled is not None:
        sessions = [s for s in sessions if s.pk != cancelled.pk]
    held = [[p.user_id for p in s.presenters.all()] for s in sessions if s.starts_at <= now]
    future = [s for s in sessions if s.starts_at > now]
    before = [[p.user_id for p in s.presenters.all()] for s in future]
    carried = list(cancelled.presenters.values_list("user_id", flat=True)) if cancelled else []
    later = sum(1 for s in future if cancelled is not None and s.number < cancelled.number)
    members = set_member_ids(learning_set)
    after = plan.rebalance(members=members, held=held, future=before, carried=carried, later=later)
    return Rota(future=future, before=before, after=after, members=members)


def rota_rebalance(
    *, learning_set: LearningSet, now: dt.datetime, cancelled: Session | None = None
) -> Rota:
    """Re-plan the future sessions' presenters (`rota_plan`) and save them; returns the
    plan, so the caller can tell the members whose turns changed."""
    rota = rota_plan(learning_set=learning_set, now=now, cancelled=cancelled)
    Presenter.objects.filter(session__in=rota.future).delete()
    Presenter.objects.bulk_create(
        [
            Presenter(session=s, user_id=user_id)
            for s, turn in zip(rota.future, rota.after, strict=True)
            for user_id in turn
        ]
    )
    facilitators_free(learning_set, list(zip(rota.future, rota.after, strict=True)))
    return rota


def cancel_outcomes(
    *, session: Session, now: dt.datetime, rota: Rota | None = None
) -> list[tuple[User, Session | None]]:
    """What cancelling `session` would do to each of its presenters' turns (nothing is
    saved): the later session it moves to, or None when it cannot move."""
    if rota is None:
        rota = rota_plan(learning_set=session.learning_set, now=now, cancelled=session)
    members = set(set_member_ids(session.learning_set))
    return [
        (p.user, rota.carried_to(p.user_id))
        for p in session.presenters.select_related("user__profile").order_by("pk")
        if p.user_id in members
    ]


def facilitators_free(
    learning_set: LearningSet, turns: list[tuple[Session, list[int]]], *, tell: bool = True
) -> list[Session]:
    """Rotating facilitation: each session's facilitator is a member of the set who is not
    presenting in it. After a leaver or a swap, a session whose facilitator left or now
    presents is given another member, taking turns as at forming. Returns the sessions
    given a new facilitator; with `tell` off, no email goes out for them (a swap says it
    in its own email, with their calendar files)."""
    if learning_set.cycle.facilitation != Facilitation.ROTATING:
        return []
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
    if tell:
        session_emails(OutboxKind.SESSION_INVITE, changed, change="facilitator")
    return changed
