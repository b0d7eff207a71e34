"""When a stable-groups programme's round is saved: the round forms a cycle, each match
becomes a set with its dated series of sessions and rota, and every member (and an
external facilitator) is sent one calendar invitation per session."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pairing.models import Match, MatchMember, OutboxKind, Programme, Round
from pairing.sets import plan
from pairing.sets.models import Cycle, Facilitation, LearningSet, Presenter, Session
from pairing.sets.notify import session_emails
from pairing.sets.waiting import unplanned_cycle

# A cycle set up by nobody (the round ran with no cycle waiting) starts plan.DEFAULT_LEAD
# after the round. The next cycle forms this long after the last session of this one.
NEXT_CYCLE_AFTER = dt.timedelta(weeks=1)
# Settings of a cycle nobody set up, over the model's defaults (6 sessions, every 8 weeks,
# half days); the lifecycle machine shortens them so its simulated years stay short.
DEFAULT_CYCLE: dict = {}


def cycle_for(pairing_round: Round) -> Cycle:
    """The cycle this round forms: the oldest one waiting for its sets, else a new one
    with the last cycle's settings (``waiting.unplanned_cycle``), or for the first the
    default ones (6 sessions, every 8 weeks, half days)."""
    waiting = (
        Cycle.objects.select_for_update()
        .filter(programme_id=pairing_round.programme_id, forming_round__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )
    cycle = waiting or unplanned_cycle(
        pairing_round.programme_id,
        plan.unplanned_start(pairing_round.scheduled_for),
        **DEFAULT_CYCLE,
    )
    cycle.forming_round = pairing_round
    cycle.save()
    return cycle


def sets_form(*, pairing_round: Round, matches: list[Match]) -> list[int]:
    """Sets, sessions, rota and invitations for the round's matches; returns the outbox
    ids queued. Runs in the round's transaction."""
    cycle = cycle_for(pairing_round)
    seats: dict[int, list[MatchMember]] = {}
    for seat in (
        MatchMember.objects.filter(match__in=matches, user__isnull=False)
        .select_related("user__profile")
        .order_by("pk")
    ):
        seats.setdefault(seat.match_id, []).append(seat)
    sessions: list[Session] = []
    last_day: dt.date | None = None
    # The sessions already booked at the cycle's venue or online room: a set does not
    # meet there at the same time as another (walk 34).
    taken: list[tuple[dt.datetime, dt.datetime]] = []
    for number, match in enumerate(sorted(matches, key=lambda m: m.pk), start=1):
        learning_set = LearningSet.objects.create(
            cycle=cycle,
            match=match,
            number=number,
            facilitator_email=cycle.facilitator_email
            if cycle.facilitation == Facilitation.EXTERNAL
            else "",
            facilitator_name=cycle.facilitator_name
            if cycle.facilitation == Facilitation.EXTERNAL
            else "",
        )
        made = _series(cycle, learning_set, seats.get(match.pk, []), taken)
        sessions += made
        if cycle.place:
            taken += [(s.starts_at, s.ends_at) for s in made]
        if made:
            day = made[-1].starts_at.date()
            last_day = max(last_day, day) if last_day else day
    if last_day:
        Programme.objects.filter(pk=cycle.programme_id).update(
            next_round_on=last_day + NEXT_CYCLE_AFTER
        )
    return session_emails(OutboxKind.SESSION_INVITE, sessions)


def _series(
    cycle: Cycle,
    learning_set: LearningSet,
    seats: list[MatchMember],
    taken: list[tuple[dt.datetime, dt.datetime]],
) -> list[Session]:
    profiles = [seat.user.profile for seat in seats]
    zones = Counter(p.time_zone for p in profiles)
    time_zone = zones.most_common(1)[0][0] if zones else "Europe/London"
    starts = plan.session_starts(
        first_week=cycle.first_session_on,
        count=cycle.sessions,
        interval_weeks=cycle.interval_weeks,
        length=cycle.length,
        default_time=cycle.start_time,
        time_zone=time_zone,
        slot=plan.common_slot([p.availability or [] for p in profiles]),
    )
    starts = plan.clear_of(starts, cycle.length, taken, time_zone)
    members = [seat.user_id for seat in seats]
    turns = plan.rota(members, len(starts)) if members else [[] for _ in starts]
    rotating = cycle.facilitation == Facilitation.ROTATING
    sessions = Session.objects.bulk_create(
        [
            Session(
                learning_set=learning_set,
                number=i + 1,
                starts_at=start,
                ends_at=start + cycle.length,
                time_zone=time_zone,
                facilitator_id=plan.rotating_facilitator(members, turns[i], i)
                if rotating
                else None,
            )
            for i, start in enumerate(starts)
        ]
    )
    Presenter.objects.bulk_create(
        [
            Presenter(session=session, user_id=user_id)
            for session, turn in zip(sessions, turns, strict=True)
            for user_id in turn
        ]
    )
    for session in sessions:
        session.learning_set = learning_set
    return sessions
