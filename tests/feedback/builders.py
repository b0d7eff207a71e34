"""Rounds, matches and evaluations built straight with the ORM, for report tests."""

from __future__ import annotations

import datetime as dt

from feedback.models import Evaluation
from members.models import User
from pairing.models import (
    Match,
    MatchMember,
    OutboxEmail,
    OutboxKind,
    OutboxStatus,
    Programme,
    Round,
)
from tests.factories import UserFactory


def make_round(programme: Programme, number: int, status: str = "done") -> Round:
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=dt.date(2026, 1, 6) + dt.timedelta(days=28 * (number - 1)),
        status=status,
        seed=number,
    )


def make_match(pairing_round: Round, *users: User, **fields: object) -> Match:
    match = Match.objects.create(pairing_round=pairing_round, **fields)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def send_intro(match: Match, status: str = OutboxStatus.SENT) -> OutboxEmail:
    return OutboxEmail.objects.create(
        key=f"intro:{match.pk}",
        kind=OutboxKind.INTRO,
        pairing_round=match.pairing_round,
        match=match,
        status=status,
    )


def evaluate(match: Match, user: User | None = None, **fields: object) -> Evaluation:
    """An evaluation of `match` by `user` (a new member seated in the match if None)."""
    if user is None:
        user = UserFactory()
        MatchMember.objects.create(match=match, pairing_round=match.pairing_round, user=user)
    fields.setdefault("met", "yes")
    return Evaluation.objects.create(match=match, user=user, **fields)


def evaluations(pairing_round: Round, count: int, **fields: object) -> list[Evaluation]:
    """`count` evaluations, each from a member of their own new match in the round."""
    return [evaluate(make_match(pairing_round), **fields) for _ in range(count)]
