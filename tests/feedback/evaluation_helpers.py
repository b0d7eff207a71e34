"""Rounds that have run and their matches, for the follow-up and evaluation tests."""

from __future__ import annotations

import datetime as dt

from members.models import User
from pairing.models import Match, MatchMember, Programme, Round, RoundStatus


def done_round(
    programme: Programme,
    *,
    finished_at: dt.datetime,
    number: int | None = None,
    status: str = RoundStatus.DONE,
) -> Round:
    number = number or programme.rounds.count() + 1
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=finished_at.date(),
        status=status,
        seed=number,
        started_at=finished_at - dt.timedelta(minutes=1),
        finished_at=finished_at if status == RoundStatus.DONE else None,
    )


def make_match(pairing_round: Round, *users: User | None) -> Match:
    match = Match.objects.create(pairing_round=pairing_round, host=users[0])
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def seat_of(match: Match, user: User) -> MatchMember:
    return MatchMember.objects.get(match=match, user=user)
