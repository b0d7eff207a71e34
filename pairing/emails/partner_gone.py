"""A member deletes their account: the others in each of their current introductions are
told there is nobody to wait for. `members.services.member_delete` calls
`partners_told_account_deleted` before the account goes, in its transaction, as it calls
`sets_account_deleted` (learning sets tell their own members, so they are left out here).

An introduction is current while its round is the programme's latest that has run (no
later round has finished) and feedback on it is still open. Older introductions are
history: nobody waits on them, so nobody is told."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from feedback.closing import evaluation_closes_at
from members.models import User
from pairing.kinds import kind_of
from pairing.models import (
    Match,
    MatchMember,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Round,
    RoundStatus,
)
from pairing.outbox import outbox_queue


def partner_gone_key(match_id: int, user_id: int) -> str:
    """`partner_gone:<match id>:<remaining member's id>`: one email per introduction per
    member who remains, however many times the deletion is attempted."""
    return f"partner_gone:{match_id}:{user_id}"


def partners_told_account_deleted(*, user: User, now: dt.datetime) -> int:
    """Queue one email to each member who remains (account kept, still in the programme)
    of each current introduction of `user`, whose account is about to be deleted. Call it
    inside the deletion's transaction. Returns how many emails were queued."""
    rows = []
    for match in _current_matches(user, now):
        for user_id in remaining_ids(match, gone=user.pk):
            rows.append(
                OutboxEmail(
                    key=partner_gone_key(match.pk, user_id),
                    kind=OutboxKind.PARTNER_GONE,
                    pairing_round=match.pairing_round,
                    match=match,
                    user_id=user_id,
                )
            )
    outbox_queue(rows)
    return len(rows)


def remaining_ids(match: Match, *, gone: int | None = None) -> list[int]:
    """The members of `match` who remain: an account kept (not `gone`, the one being
    deleted) and not left the programme."""
    left = Membership.objects.filter(
        user=OuterRef("user_id"),
        programme_id=match.pairing_round.programme_id,
        status=MembershipStatus.LEFT,
    )
    seats = (
        MatchMember.objects.filter(match=match, user__isnull=False, user__is_active=True)
        .exclude(user_id=gone)
        .exclude(Exists(left))
        .order_by("user_id")
    )
    return list(seats.values_list("user_id", flat=True))


def _current_matches(user: User, now: dt.datetime) -> list[Match]:
    matches = Match.objects.filter(
        members__user=user, pairing_round__status=RoundStatus.DONE
    ).select_related("pairing_round__programme")
    return [
        match
        for match in matches
        if not kind_of(match.pairing_round.programme).stable_groups
        and _is_current(match.pairing_round, now)
    ]


def _is_current(pairing_round: Round, now: dt.datetime) -> bool:
    """No later round has run (that introduction would be the current one) and its
    feedback is still open (a round still running counts as current)."""
    later_finished = Round.objects.filter(
        programme_id=pairing_round.programme_id,
        number__gt=pairing_round.number,
        status=RoundStatus.DONE,
        finished_at__isnull=False,
    ).exists()
    if later_finished:
        return False
    closes = evaluation_closes_at(pairing_round=pairing_round)
    return closes is None or now < closes
