"""Write a solved round: matches, seats, left-out members and outbox rows, in the
caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from pairing.kinds import KINDS, kind_of
from pairing.kinds.coffee import COFFEE
from pairing.models import (
    LeftOut,
    Match,
    MatchMember,
    Membership,
    OutboxEmail,
    OutboxKind,
    Programme,
    Round,
    RoundSnapshot,
    RoundStatus,
)
from pairing.outbox import outbox_enqueue
from pairing.rounds.eligibility import Eligibility
from pairing.rounds.problem import slug_names
from pairing.sets.forming import sets_form
from pairing.slots import SLOT, local_day, suggest_slot

# The days searched for a suggested time: two weeks, or up to the next round's day where
# the cadence is shorter (a weekly programme), but at least MIN_SLOT_DAYS.
SLOT_DAYS = 14
MIN_SLOT_DAYS = 3


def round_save(
    pairing_round: Round, problem: dict, solution: dict, eligibility: Eligibility, now: dt.datetime
) -> list[int]:
    profiles = {str(m.user_id): m.user.profile for m in eligibility.eligible}
    booked = _booked(list(profiles), now)
    kind = kind_of(pairing_round.programme)
    # A learning set meets at its sessions' times; its slot is not offered.
    length = SLOT if kind.stable_groups else kind.meeting
    today = timezone.localdate(now)  # the day it runs, early or late
    # A kind whose members share work first (search review) talks the reviews through:
    # its meeting is suggested from the second day after the work is due, not before
    # there is anything to discuss.
    # Otherwise from the second day after the introduction, not the next morning, so the
    # host has time to confirm it; and before the next round where the cadence allows
    # (walk 43: "tomorrow at 09:00", and a time after the next round had run).
    due_days = pairing_round.programme.strategy_due_days if kind.shares_work else 0
    after = today + dt.timedelta(days=due_days + 1)
    window = min(SLOT_DAYS, max(MIN_SLOT_DAYS, pairing_round.programme.cadence_days - due_days - 1))
    slugs = slug_names()
    interests = {m["id"]: set(m["interests"]) for m in problem["members"]}
    roles = {m["id"]: m.get("mentoring") for m in problem["members"]}
    matches = Match.objects.bulk_create(
        [
            Match(
                pairing_round=pairing_round,
                score=g["score"],
                host_id=int(g["host"]),
                shared_interests=_shared_names(interests, g["members"], slugs),
                suggested_start=_slot(
                    [profiles[m] for m in g["members"]],
                    booked,
                    after=after,
                    length=length,
                    days=window,
                ),
            )
            for g in solution["groups"]
        ],
        batch_size=2000,
    )
    MatchMember.objects.bulk_create(
        [
            MatchMember(
                match=match,
                pairing_round=pairing_round,
                user_id=int(member),
                role=roles.get(member) or "",
            )
            for match, g in zip(matches, solution["groups"], strict=True)
            for member in g["members"]
        ],
        batch_size=5000,
    )
    LeftOut.objects.bulk_create(
        [
            LeftOut(
                pairing_round=pairing_round,
                user_id=int(u["id"]),
                reason=u["reason"],
                first_in_line=u["first_in_line"],
            )
            for u in solution["unplaced"]
        ],
        batch_size=5000,
    )
    emails = OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                key=f"intro:{m.pk}", kind=OutboxKind.INTRO, pairing_round=pairing_round, match=m
            )
            for m in matches
        ]
        + [
            OutboxEmail(
                key=f"left_out:{pairing_round.pk}:{u['id']}",
                kind=OutboxKind.LEFT_OUT,
                pairing_round=pairing_round,
                user_id=int(u["id"]),
            )
            for u in solution["unplaced"]
        ],
        batch_size=5000,
    )
    skipped = [m.pk for m, reason in eligibility.ineligible if reason == "skipping this round"]
    Membership.objects.filter(pk__in=skipped).update(skip_next_round=False)
    _advance_schedule(pairing_round, today)
    email_ids = [e.pk for e in emails]
    if kind_of(pairing_round.programme).stable_groups:
        # The round forms a cycle: its matches are the sets, each with its sessions. The
        # session invitations queue themselves as the transaction commits; the
        # introductions that announce them are queued first (the run queues every id
        # again, and each email is claimed once).
        intro_ids = list(email_ids)
        transaction.on_commit(lambda: outbox_enqueue(intro_ids), robust=True)
        email_ids += sets_form(pairing_round=pairing_round, matches=matches)
    RoundSnapshot.objects.update_or_create(
        pairing_round=pairing_round, defaults={"problem": problem}
    )
    Round.objects.filter(pk=pairing_round.pk).update(
        status=RoundStatus.DONE,
        finished_at=now,
        draft=None,  # the matches are the record now; a done round carries no preview
        objective=solution["objective"],
        bound=solution.get("bound"),
        progress_note="Sending introductions",
        progress_done=0,
        progress_total=len(emails),
    )
    return email_ids


def _booked(user_ids: list[str], now: dt.datetime) -> dict[int, list[tuple]]:
    """Each member's meetings still to come that earlier introductions (of any programme)
    suggested, as (start, end, the member's time zone)."""
    booked: dict[int, list[tuple]] = {}
    rows = MatchMember.objects.filter(
        user_id__in=[int(u) for u in user_ids], match__suggested_start__gt=now
    ).values_list(
        "user_id",
        "match__suggested_start",
        "match__pairing_round__programme__kind",
        "user__profile__time_zone",
    )
    for user_id, start, kind, time_zone in rows:
        meeting = KINDS.get(kind, COFFEE).meeting
        booked.setdefault(user_id, []).append((start, start + meeting, time_zone))
    return booked


def _slot(
    profiles: list,
    booked: dict[int, list[tuple]],
    *,
    after: dt.date,
    length: dt.timedelta,
    days: int = 14,
) -> dt.datetime | None:
    """A time everyone is free, on none of the days another introduction already
    suggested to one of them (rounds run close together would otherwise offer the same
    slot twice); failing that, at least not overlapping those meetings."""
    members = [(p.availability, p.time_zone) for p in profiles]
    theirs = [meeting for p in profiles for meeting in booked.get(p.user_id, [])]
    taken = [local_day(start, zone) for start, _end, zone in theirs]
    return suggest_slot(
        members=members, after=after, busy=taken, length=length, days=days
    ) or suggest_slot(
        members=members,
        after=after,
        busy=[(start, end) for start, end, _zone in theirs],
        length=length,
        days=days,
    )


def _shared_names(
    interests: dict[str, set[str]], members: list[str], slugs: dict[str, str]
) -> list[str]:
    counts = Counter(slug for m in members for slug in interests.get(m, ()))
    shared = sorted(slug for slug, n in counts.items() if n >= 2)
    return [slugs.get(slug, slug) for slug in shared]


def next_round_on_after(pairing_round: Round, ran_on: dt.date | None = None) -> dt.date | None:
    """The programme's next round date once this round has run (on `ran_on`, by default
    its `held_on`): a cadence after the day it was planned for, so a round run early
    leaves a longer gap before the next; a round run late (a failed run retried, the
    scheduler down for weeks) is followed a cadence after the day it ran. Walk 34 saw a
    next round date months in the past (each tick would have run one more), then, when
    late runs kept to the planned days, a next round 3 days after the last. A programme
    with no date yet gets one: walk 43 ran a first round with the date left empty, and
    no round ever followed until the organiser typed one."""
    programme = pairing_round.programme
    if programme.next_round_on is None or programme.next_round_on <= pairing_round.scheduled_for:
        cadence = dt.timedelta(days=programme.cadence_days)
        ran_on = ran_on or pairing_round.held_on
        return max(pairing_round.scheduled_for, ran_on) + cadence
    return programme.next_round_on


def _advance_schedule(pairing_round: Round, ran_on: dt.date) -> None:
    after = next_round_on_after(pairing_round, ran_on)
    if after != pairing_round.programme.next_round_on:
        Programme.objects.filter(pk=pairing_round.programme_id).update(next_round_on=after)
