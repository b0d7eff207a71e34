"""Outbox rows for learning sets, written in the caller's transaction. Each key carries
the session's sequence, so a move or a cancellation is sent exactly once per person and
a later change is a new email, never a duplicate."""

from __future__ import annotations

from collections.abc import Iterable

from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import outbox_queue
from pairing.sets.models import LearningSet, RotaSwap, Session
from pairing.sets.selectors import set_member_ids

EXTERNAL = "ext"


def session_key(kind: str, session: Session, who: int | str) -> str:
    """`session_invite:<session>:<sequence>:<user id or "ext">`."""
    return f"{kind}:{session.pk}:{session.sequence}:{who}"


def parse_session_key(key: str) -> tuple[int, int, int | None]:
    """(session id, sequence, user id or None for the external facilitator)."""
    _kind, session_id, sequence, who = key.split(":")
    return int(session_id), int(sequence), None if who == EXTERNAL else int(who)


def _recipients(
    learning_set: LearningSet, users: list[int] | None, external: bool | None
) -> list[int | str]:
    people: list[int | str] = list(set_member_ids(learning_set) if users is None else users)
    if external is None:
        external = users is None
    if external and learning_set.facilitator_email:
        people.append(EXTERNAL)
    return people


def session_emails(
    kind: str,
    sessions: Iterable[Session],
    *,
    users: Iterable[int] | None = None,
    external: bool | None = None,
) -> list[int]:
    """One email of `kind` per session per person: the set's members and its external
    facilitator, or only `users` (and the facilitator if `external`)."""
    rows = []
    chosen = None if users is None else list(users)
    for session in sessions:
        learning_set = session.learning_set
        for who in _recipients(learning_set, chosen, external):
            rows.append(
                OutboxEmail(
                    key=session_key(kind, session, who),
                    kind=kind,
                    match_id=learning_set.match_id,
                    user_id=None if who == EXTERNAL else who,
                )
            )
    return outbox_queue(rows)


def set_notice(learning_set: LearningSet, event: str, user_id: int) -> list[int]:
    """One notice to the programme's organisers (rendered to all their addresses)."""
    return outbox_queue(
        [
            OutboxEmail(
                key=f"{OutboxKind.SET_NOTICE}:{event}:{learning_set.pk}:{user_id}",
                kind=OutboxKind.SET_NOTICE,
                match_id=learning_set.match_id,
            )
        ]
    )


def swap_notice(swap: RotaSwap, event: str) -> list[int]:
    """A swap of turns to the member it concerns: proposed (to the other member) or
    accepted (to the proposer). The key's last part is the swap, not a user."""
    to = swap.partner_id if event == "swap_proposed" else swap.proposer_id
    return outbox_queue(
        [
            OutboxEmail(
                key=f"{OutboxKind.SET_NOTICE}:{event}:{swap.learning_set_id}:{swap.pk}",
                kind=OutboxKind.SET_NOTICE,
                match_id=swap.learning_set.match_id,
                user_id=to,
            )
        ]
    )


def parse_notice_key(key: str) -> tuple[str, int, int]:
    _kind, event, set_id, user_id = key.split(":")
    return event, int(set_id), int(user_id)
