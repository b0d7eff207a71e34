"""Outbox rows for learning sets, written in the caller's transaction. Each key carries
the session's sequence, so a move or a cancellation is sent exactly once per person and
a later change is a new email, never a duplicate. A key may end with what changed, so
the email says it: a time moved, or only a new facilitator."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import outbox_queue
from pairing.sets.models import LearningSet, RotaSwap, Session
from pairing.sets.selectors import set_member_ids

EXTERNAL = "ext"
# What a session email announces is the last part of its key: "new" (an invitation to
# a session whose sequence may be above 0: a merge, a new external facilitator), "moved"
# (the time changed; "moved-<epoch of the old start>" since the email says the old
# time), "facilitator" (only who facilitates changed); on a cancellation to its
# presenter, "turn-<session id>" (their turn moved there) or "no-turn" (it could not
# move); "left": one email to a member who left, cancelling every session still to come
# (the key names the first). The invitations sent at forming, a plain cancellation and
# keys written before these existed have none.


def session_key(kind: str, session: Session, who: int | str, change: str = "") -> str:
    """`session_invite:<session>:<sequence>:<user id or "ext-<address hash>">[:<change>]`
    (keys from before the hash have a bare "ext")."""
    key = f"{kind}:{session.pk}:{session.sequence}:{who}"
    return f"{key}:{change}" if change else key


def parse_session_key(key: str) -> tuple[int, int, int | None, str]:
    """(session id, sequence, user id or None for the external facilitator, change)."""
    _kind, session_id, sequence, who, *change = key.split(":")
    user_id = None if who.startswith(EXTERNAL) else int(who)
    return int(session_id), int(sequence), user_id, change[0] if change else ""


def _recipients(
    learning_set: LearningSet, users: list[int] | None, external: bool | None, address: str
) -> list[int | str]:
    people: list[int | str] = list(set_member_ids(learning_set) if users is None else users)
    if external is None:
        external = users is None
    if external and address:
        people.append(external_who(address))
    return people


def external_who(email: str) -> str:
    """The external facilitator in a key: "ext-" and a short hash of their address, so a
    new address is invited even at the same sequence (never deduplicated away)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:10]
    return f"{EXTERNAL}-{digest}"


def session_emails(
    kind: str,
    sessions: Iterable[Session],
    *,
    users: Iterable[int] | None = None,
    external: bool | None = None,
    change: str = "",
    external_address: str = "",
) -> list[int]:
    """One email of `kind` per session per person: the set's members and its external
    facilitator, or only `users` (and the facilitator if `external`). The facilitator's
    address is kept on the row (`external_address`, else the set's), so an email to a
    facilitator who was replaced still reaches them, not their successor."""
    rows = []
    chosen = None if users is None else list(users)
    for session in sessions:
        learning_set = session.learning_set
        address = external_address or learning_set.facilitator_email
        for who in _recipients(learning_set, chosen, external, address):
            outside = str(who).startswith(EXTERNAL)
            rows.append(
                OutboxEmail(
                    key=session_key(kind, session, who, change),
                    kind=kind,
                    match_id=learning_set.match_id,
                    user_id=None if outside else who,
                    address=address if outside else "",
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


def swap_notice(swap: RotaSwap, event: str, cause: str = "") -> list[int]:
    """A swap of turns to the member it concerns: proposed (to the other member) or
    accepted (to the proposer). The key's last part is the swap, not a user (then what
    else the swap changed, `swap_news`)."""
    to = swap.partner_id if event == "swap_proposed" else swap.proposer_id
    key = f"{OutboxKind.SET_NOTICE}:{event}:{swap.learning_set_id}:{swap.pk}"
    return outbox_queue(
        [
            OutboxEmail(
                key=f"{key}:{cause}" if cause else key,
                kind=OutboxKind.SET_NOTICE,
                match_id=swap.learning_set.match_id,
                user_id=to,
            )
        ]
    )


SWAP_FACILITATION = "facilitator-"


def swap_news(swap: RotaSwap, refacilitated: list[Session]) -> list[int]:
    """An accepted swap, in one email to each person it concerns: "accepted" to the
    proposer, "swap_made" to every other member (who now presents where; to the member
    who accepted, a record). Sessions the swap gave a new facilitator (`refacilitated`,
    at their new sequence) are said in that same email, with each one's updated
    calendar file; the set's external facilitator then gets it too. Those sessions end
    the key, `...:facilitator-<session>.<sequence>[-<session>.<sequence>]`, so the
    organisers' page counts the change (`session_changes`) and the calendar files keep
    the sequence they were sent with. The swap is accepted once: each email once."""
    learning_set = swap.learning_set
    cause = SWAP_FACILITATION + "-".join(f"{s.pk}.{s.sequence}" for s in refacilitated)
    cause = cause if refacilitated else ""
    ids = swap_notice(swap, "swap_accepted", cause)
    others = [m for m in set_member_ids(learning_set) if m != swap.proposer_id]
    ids += member_notices(learning_set, "swap_made", others, ref=swap.pk, cause=cause)
    address = learning_set.facilitator_email
    if refacilitated and address:
        key = f"{OutboxKind.SET_NOTICE}:swap_made:{learning_set.pk}:{swap.pk}"
        ids += outbox_queue(
            [
                OutboxEmail(
                    key=f"{key}:{external_who(address)}:{cause}",
                    kind=OutboxKind.SET_NOTICE,
                    match_id=learning_set.match_id,
                    address=address,
                )
            ]
        )
    return ids


def swap_facilitation(key: str) -> list[tuple[int, int]]:
    """(session id, sequence) of each session a swap gave a new facilitator, from its
    email's key (`swap_news`); none in a key from before they were named there."""
    last = key.rsplit(":", 1)[-1]
    if not last.startswith(SWAP_FACILITATION):
        return []
    pairs = [part.split(".") for part in last.removeprefix(SWAP_FACILITATION).split("-")]
    return [(int(session_id), int(sequence)) for session_id, sequence in pairs]


def member_notices(
    learning_set: LearningSet,
    event: str,
    user_ids: Iterable[int],
    *,
    ref: int | None = None,
    cause: str = "",
) -> list[int]:
    """A notice about the set to each of `user_ids` (rendered to that member). Caused by
    a row `ref` (a swap): `set_notice:<event>:<set>:<ref>:<user>` (and `:<cause>` when
    given: what else it changed, `swap_news`). Caused by an event
    named by `cause` (the session cancelled, the member who left, the set merged in):
    `set_notice:<event>:<set>:<user>:<cause>`, so two events are two emails even when
    they happen at once, and the same event again is never a second one. Else each
    member's notices of that event are counted (the caller holds the set's row lock, so
    two changes never count the same): `set_notice:<event>:<set>:<user>:<count>`."""
    rows = []
    for user_id in user_ids:
        if ref is not None:
            key = f"{OutboxKind.SET_NOTICE}:{event}:{learning_set.pk}:{ref}:{user_id}"
            key = f"{key}:{cause}" if cause else key
        elif cause:
            key = f"{OutboxKind.SET_NOTICE}:{event}:{learning_set.pk}:{user_id}:{cause}"
        else:
            prefix = f"{OutboxKind.SET_NOTICE}:{event}:{learning_set.pk}:{user_id}:"
            count = OutboxEmail.objects.filter(
                match_id=learning_set.match_id, user_id=user_id, key__startswith=prefix
            ).count()
            key = f"{prefix}{count + 1}"
        rows.append(
            OutboxEmail(
                key=key,
                kind=OutboxKind.SET_NOTICE,
                match_id=learning_set.match_id,
                user_id=user_id,
            )
        )
    return outbox_queue(rows)


FACILITATOR_NAMED = "facilitator_named"
# The notices of a merge (`member_emails.merge_parts`), keyed by the set that grew and
# caused by "merged-<the set merged away>": to each member who moved, and to each member
# of the set that grew, whose turns stayed as they were or changed; "merge_ended" to the
# external facilitator of the set merged away (`merge_news`).
MERGE_JOINED, MERGE_GREW, MERGE_TURNS = "merge_joined", "merge_grew", "merge_turns"
MERGE_ENDED = "merge_ended"
MERGE_CALENDARS = "ics-"


def merge_news(
    merged: LearningSet,
    into: LearningSet,
    moving: Iterable[int],
    cancelled: list[Session],
    invited: list[Session],
) -> list[int]:
    """A merge, in one email to each member who moved: which set they joined, with a
    calendar file cancelling each of `merged`'s sessions the merge `cancelled` (at their
    new sequence) and one inviting them to each of `into`'s sessions still to come
    (`invited`). The sessions are named by number at the key's end,
    `...:merged-<set>:ics-<cancelled>-<invited>` (each a hex mask of session numbers),
    so a key stays short and the email says the sessions it was written for. The set
    merged away's external facilitator gets one email cancelling its sessions:
    `set_notice:merge_ended:<merged>:<into>:<ext-hash>:ics-<cancelled>-0`. A set is
    merged once: each email once."""
    calendars = f"{MERGE_CALENDARS}{_mask(cancelled)}-{_mask(invited)}"
    cause = f"merged-{merged.pk}"
    prefix = f"{OutboxKind.SET_NOTICE}:{MERGE_JOINED}:{into.pk}"
    rows = [
        OutboxEmail(
            key=f"{prefix}:{user_id}:{cause}:{calendars}",
            kind=OutboxKind.SET_NOTICE,
            match_id=into.match_id,
            user_id=user_id,
        )
        for user_id in moving
    ]
    address = merged.facilitator_email
    if address and cancelled:
        key = f"{OutboxKind.SET_NOTICE}:{MERGE_ENDED}:{merged.pk}:{into.pk}"
        rows.append(
            OutboxEmail(
                key=f"{key}:{external_who(address)}:{MERGE_CALENDARS}{_mask(cancelled)}-0",
                kind=OutboxKind.SET_NOTICE,
                match_id=merged.match_id,
                address=address,
            )
        )
    return outbox_queue(rows)


def _mask(sessions: Iterable[Session]) -> str:
    return f"{sum(1 << s.number for s in sessions):x}"


def merge_calendars(key: str) -> tuple[list[int], list[int]] | None:
    """The numbers of the sessions a merge's email cancels and invites to (`merge_news`);
    None for a key from before they were named there (each came in its own email)."""
    last = key.rsplit(":", 1)[-1]
    if not last.startswith(MERGE_CALENDARS):
        return None
    cancelled, invited = (int(m, 16) for m in last.removeprefix(MERGE_CALENDARS).split("-"))
    return _numbers(cancelled), _numbers(invited)


def _numbers(mask: int) -> list[int]:
    return [n for n in range(mask.bit_length()) if mask >> n & 1]


def facilitator_notices(
    learning_set: LearningSet,
    *,
    named: int,
    before: int | None,
    user_ids: Iterable[int],
    keeper: int | None = None,
) -> list[int]:
    """To each of `user_ids`: the organisers named member `named` the set's facilitator
    (in place of member `before`). Each naming is one email per member, counted as
    `member_notices` counts (the caller holds the set's row lock), and the key ends with
    who was named and who before (0: nobody), and, when the naming took the dates from
    the member `keeper` who looked after them, who that was (their email says so):
    `set_notice:facilitator_named:<set>:<user>:<count>-<named>-<before>[-<keeper>]`."""
    rows = []
    for user_id in user_ids:
        prefix = f"{OutboxKind.SET_NOTICE}:{FACILITATOR_NAMED}:{learning_set.pk}:{user_id}:"
        count = OutboxEmail.objects.filter(
            match_id=learning_set.match_id, user_id=user_id, key__startswith=prefix
        ).count()
        rows.append(
            OutboxEmail(
                key=f"{prefix}{count + 1}-{named}-{before or 0}" + (f"-{keeper}" if keeper else ""),
                kind=OutboxKind.SET_NOTICE,
                match_id=learning_set.match_id,
                user_id=user_id,
            )
        )
    return outbox_queue(rows)


def parse_named(key: str) -> tuple[int, int | None, int | None]:
    """(member named, member facilitating before or None, member who looked after the
    dates before and no longer does, or None) from a facilitator notice."""
    _count, named, before, *keeper = key.rsplit(":", 1)[-1].split("-")
    return int(named), int(before) or None, int(keeper[0]) if keeper else None


def parse_notice_key(key: str) -> tuple[str, int, int]:
    """(event, set id, user or swap id); a notice to a member may name them after it."""
    _kind, event, set_id, ref, *_member = key.split(":")
    return event, int(set_id), int(ref)


def session_changes(sessions: Iterable[Session]) -> dict[int, Counter]:
    """How often each session was moved ("moved") or only given a new facilitator
    ("facilitator"), counted once per change (not per person told), from the emails that
    announced them (a session's update, or a swap's news). An update from before changes
    were named counts as "updated"."""
    sessions = list(sessions)
    wanted = {s.pk for s in sessions}
    changes: set[tuple[int, int, str]] = set()
    for key in OutboxEmail.objects.filter(
        kind=OutboxKind.SESSION_INVITE, match_id__in={s.learning_set.match_id for s in sessions}
    ).values_list("key", flat=True):
        session_id, sequence, _who, change = parse_session_key(key)
        change = change.partition("-")[0]  # "moved-<old start>" is a move
        if session_id in wanted and sequence > 0 and change != "new":
            changes.add((session_id, sequence, change or "updated"))
    # A swap says its new facilitators in its own email (`swap_news`).
    for key in OutboxEmail.objects.filter(
        kind=OutboxKind.SET_NOTICE,
        match_id__in={s.learning_set.match_id for s in sessions},
        key__startswith=f"{OutboxKind.SET_NOTICE}:swap_",
        key__contains=f":{SWAP_FACILITATION}",
    ).values_list("key", flat=True):
        changes |= {(pk, seq, "facilitator") for pk, seq in swap_facilitation(key) if pk in wanted}
    counts: dict[int, Counter] = {pk: Counter() for pk in wanted}
    for session_id, _sequence, change in changes:
        counts[session_id][change] += 1
    return counts
