"""Every write to a learning set: moving and cancelling sessions, the rota (swaps and
re-balancing), leaving a set, merging or keeping a small set, facilitators, check-ins
and the end-of-cycle evaluation. Keyword-only; `now` is always given by the caller."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from members.models import User
from pairing.models import MatchMember, OutboxKind
from pairing.sets import plan
from pairing.sets.guards import locked_set, organiser_only, tell_new_host
from pairing.sets.leaving import (  # noqa: F401  (re-exported: every write is here)
    NOTHING_TO_LEAVE,
    set_leave,
    sets_account_deleted,
    sets_member_left_programme,
)
from pairing.sets.merging import set_merge  # noqa: F401  (re-exported: every write is here)
from pairing.sets.models import (
    LearningSet,
    Presenter,
    RotaSwap,
    Session,
    SessionCheckIn,
    SessionStatus,
    SetEvaluation,
    SetLeaver,
    SwapStatus,
)
from pairing.sets.notify import (
    facilitator_notices,
    member_notices,
    session_emails,
    swap_news,
    swap_notice,
)
from pairing.sets.rota import facilitators_free, rota_rebalance
from pairing.sets.selectors import (
    can_change_sessions,
    cycle_over,
    has_started,
    is_future,
    joined_at,
    part_of,
    set_host_id,
    set_member_ids,
)
from pairing.sets.swap_rules import SetError, check_not_pending, check_swap, withdraw_overlapping


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("learning_set").get(pk=session.pk)


def _locked_set(pk: int) -> LearningSet:
    return locked_set(pk)


_tell_new_host = tell_new_host


@transaction.atomic
def session_move(
    *, session: Session, by: User, starts_at: dt.datetime, now: dt.datetime
) -> Session:
    """Move a session to `starts_at` (same length); everyone gets an updated invitation
    with a higher SEQUENCE, and a reminder again before the new date."""
    session = _locked(session)
    if not can_change_sessions(session.learning_set, by):
        raise SetError("Only the set's facilitator or host, or an organiser, can move a session.")
    if not is_future(session, now):
        raise SetError("Only a session still to come can be moved.")
    if starts_at <= now:
        raise SetError("Choose a date and time in the future.")
    if starts_at == session.starts_at:
        raise SetError("That is the session's time already.")
    _check_order(session, starts_at)
    length, was = session.ends_at - session.starts_at, session.starts_at
    _check_clash(session, starts_at, starts_at + length)
    session.starts_at, session.ends_at = starts_at, starts_at + length
    session.sequence += 1
    session.reminder_sent_at = session.checkin_sent_at = None
    session.save(
        update_fields=["starts_at", "ends_at", "sequence", "reminder_sent_at", "checkin_sent_at"]
    )
    # The old time travels in the key ("moved-<epoch>"): the email says it.
    session_emails(OutboxKind.SESSION_INVITE, [session], change=f"moved-{int(was.timestamp())}")
    return session


def _day(session: Session) -> str:
    return f"{session.starts_at.astimezone(plan.zone_named(session.time_zone)):%-d %B %Y}"


def _check_clash(session: Session, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Not while another set of the cycle meets at its venue or online room, nor while a
    member of the set is at another session (walk 35: a move put two sets in one room,
    and a member in two sessions at once)."""
    overlapping = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(learning_set=session.learning_set)
        .select_related("learning_set__cycle")
        .order_by("starts_at")
    )
    cycle = session.learning_set.cycle
    zone = plan.zone_named(session.time_zone)
    if cycle.place and (other := overlapping.filter(learning_set__cycle=cycle).first()):
        raise SetError(
            f"Set {other.learning_set.number} meets at {cycle.place} from "
            f"{other.starts_at.astimezone(zone):%H:%M} to {other.ends_at.astimezone(zone):%H:%M}"
            " that day: choose a time when the place is free."
        )
    members = set(set_member_ids(session.learning_set))
    for other in overlapping.filter(learning_set__match__members__user_id__in=members).distinct():
        if members & set(set_member_ids(other.learning_set)):
            raise SetError(
                "A member of this set has another learning-set session at that time: "
                "choose another time."
            )


def _check_order(session: Session, starts_at: dt.datetime) -> None:
    """A session stays between the set's previous and next sessions (not cancelled)."""
    others = session.learning_set.sessions.filter(status=SessionStatus.SCHEDULED)
    before = others.filter(number__lt=session.number).order_by("-number").first()
    after = others.filter(number__gt=session.number).order_by("number").first()
    if before is not None and starts_at <= before.starts_at:
        raise SetError(
            f"Session {session.number} must come after session {before.number} "
            f"({_day(before)}): choose a later date."
        )
    if after is not None and starts_at >= after.starts_at:
        raise SetError(
            f"Session {session.number} must come before session {after.number} "
            f"({_day(after)}): choose an earlier date, or move that one first."
        )


@transaction.atomic
def session_cancel(*, session: Session, by: User, now: dt.datetime) -> Session:
    """Cancel a session: a CANCEL with the same UID and a higher SEQUENCE to everyone. Its
    presenters' turns move to a later session (`rota.rota_plan`), and their cancellation
    says where, or that it could not move; anyone else whose turns changed is told."""
    _locked_set(session.learning_set_id)
    session = _locked(session)
    if not can_change_sessions(session.learning_set, by):
        raise SetError("Only the set's facilitator or host, or an organiser, can cancel a session.")
    if not is_future(session, now):
        raise SetError("Only a session still to come can be cancelled.")
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence"])
    learning_set = session.learning_set
    rota = rota_rebalance(learning_set=learning_set, now=now, cancelled=session)
    presenters = [p for p in session.presenters.values_list("user_id", flat=True)]
    members = set_member_ids(learning_set)
    others = [m for m in members if m not in presenters]
    # Whoever already presents at a session that gains presenters is told who joins them.
    joined = {u: s.pk for s, kept, _after in rota.joined() for u in kept if u in others}
    plain = [m for m in others if m not in joined]
    session_emails(OutboxKind.SESSION_CANCEL, [session], users=plain, external=True)
    for user_id, target in joined.items():
        session_emails(
            OutboxKind.SESSION_CANCEL, [session], users=[user_id], change=f"shared-{target}"
        )
    for user_id in [p for p in presenters if p in members]:
        moved_to = rota.carried_to(user_id)
        change = f"turn-{moved_to.pk}" if moved_to else "no-turn"
        session_emails(OutboxKind.SESSION_CANCEL, [session], users=[user_id], change=change)
    changed = [m for m in rota.changed() if m in others]
    member_notices(learning_set, "turns_cancelled", changed, cause=f"session-{session.pk}")
    return session


# --- The rota: swapping turns ------------------------------------------------------------


@transaction.atomic
def swap_propose(
    *,
    learning_set: LearningSet,
    proposer: User,
    my_session: Session,
    partner: User,
    their_session: Session,
    now: dt.datetime,
) -> RotaSwap:
    """Propose swapping the proposer's turn with the partner's; nothing changes until the
    partner accepts."""
    swap = RotaSwap(
        learning_set=learning_set,
        proposer=proposer,
        proposer_session=my_session,
        partner=partner,
        partner_session=their_session,
    )
    _locked_set(learning_set.pk)
    check_swap(swap, now)
    check_not_pending(swap)
    swap.save()
    swap_notice(swap, "swap_proposed")
    return swap


@transaction.atomic
def swap_decide(*, swap: RotaSwap, by: User, accept: bool, now: dt.datetime) -> RotaSwap:
    """The partner accepts (the turns change hands) or declines; the proposer may
    withdraw. Both agree, or nothing changes."""
    # The set first: two swaps of one set are decided one after the other.
    _locked_set(swap.learning_set_id)
    swap = RotaSwap.objects.select_for_update().get(pk=swap.pk)
    if swap.status == SwapStatus.WITHDRAWN:
        raise SetError(
            "This swap was withdrawn: one of its turns changed hands in another swap, "
            "or the member who asked withdrew it."
        )
    if swap.status != SwapStatus.PROPOSED:
        raise SetError("This swap has already been decided.")
    if by.pk == swap.proposer_id and not accept:
        swap.status = SwapStatus.WITHDRAWN
    elif by.pk != swap.partner_id:
        raise SetError("Only the member asked can answer this swap.")
    elif accept:
        check_swap(swap, now)
        Presenter.objects.filter(session=swap.proposer_session, user=swap.proposer).update(
            user=swap.partner
        )
        Presenter.objects.filter(session=swap.partner_session, user=swap.partner).update(
            user=swap.proposer
        )
        refacilitated = facilitators_free(
            swap.learning_set,
            [
                (s, list(s.presenters.values_list("user_id", flat=True)))
                for s in (swap.proposer_session, swap.partner_session)
            ],
            tell=False,
        )
        swap.status = SwapStatus.ACCEPTED
        withdraw_overlapping(swap, now)
        # One email each: who now presents where and, when the swap moved a session's
        # facilitation, who facilitates it now, with its updated calendar file.
        swap_news(swap, refacilitated)
    else:
        swap.status = SwapStatus.DECLINED
    swap.decided_at = now
    swap.save(update_fields=["status", "decided_at"])
    return swap


# --- Organisers: small sets, merging, facilitators ---------------------------------------


_organiser_only = organiser_only


@transaction.atomic
def set_continue_smaller(*, learning_set: LearningSet, by: User) -> LearningSet:
    _organiser_only(learning_set, by)
    learning_set.continue_smaller = True
    learning_set.save(update_fields=["continue_smaller"])
    return learning_set


@transaction.atomic
def set_facilitator_update(
    *,
    learning_set: LearningSet,
    by: User,
    member: User | None,
    email: str,
    name: str,
    now: dt.datetime,
) -> LearningSet:
    """A named member of the set, or an external facilitator's email (invited to the
    future sessions), or neither (the set's members take turns; or, when the cycle has a
    named member facilitate each set, one is still to be named). A member named, or
    another in their place, is announced to the set's members: one email each. A member
    chosen with the current external facilitator's address still given replaces them.
    Sets `members_told` (the notices' ids) and `released` (the address told) on it."""
    _organiser_only(learning_set, by)
    learning_set = _locked_set(learning_set.pk)
    members = set_member_ids(learning_set)
    if member is not None and member.pk not in members:
        raise SetError("The facilitator must be a member of the set.")
    if member is not None and email:
        # A member chosen with the external facilitator's address still in the form
        # replaces them; with another address, it is two facilitators at once.
        if email.lower() != learning_set.facilitator_email.lower():
            raise SetError(
                "Choose a member of the set or an external facilitator, not both: to name "
                "the member, empty the external email; to invite the external facilitator, "
                "choose nobody under the members. Nothing was changed."
            )
        email = name = ""
    newly_external = email and email != learning_set.facilitator_email
    replaced = learning_set.facilitator_email if learning_set.facilitator_email != email else ""
    host, before = set_host_id(learning_set), learning_set.facilitator_id
    learning_set.facilitator = member
    learning_set.facilitator_email, learning_set.facilitator_name = email, name
    learning_set.save(update_fields=["facilitator", "facilitator_email", "facilitator_name"])
    # "Named you the facilitator" only to the member named; else how facilitation changed.
    named = member is not None and set_host_id(learning_set) == member.pk
    told = _tell_new_host(learning_set, host, "host_named" if named else "host_facilitation")
    learning_set.members_told = []
    if member is not None and (member.pk != before or replaced):
        # The member named hears it once: in "you now look after the dates" when that
        # went to them, else here with everyone else.
        learning_set.members_told = facilitator_notices(
            learning_set,
            named=member.pk,
            before=before if before in members and before != member.pk else None,
            user_ids=[m for m in members if not (told and m == member.pk)],
            # The member who looked after the dates is told they no longer do.
            keeper=host if told and host in members else None,
        )
    future = [s for s in learning_set.sessions.all() if is_future(s, now)]
    for session in future:
        session.learning_set = learning_set
    # For the organiser's message: who was told (the set's members, the address released).
    learning_set.released = replaced if future else ""
    if replaced and future:
        # The external facilitator replaced: one email removing every session to come
        # from their calendar (the key's time: they may be named again and replaced).
        session_emails(
            OutboxKind.SESSION_CANCEL,
            future[:1],
            users=[],
            external=True,
            external_address=replaced,
            change=f"released-{int(now.timestamp())}",
        )
    if newly_external:
        session_emails(OutboxKind.SESSION_INVITE, future, users=[], external=True, change="new")
    return learning_set


# --- Check-ins and the set evaluation ---------------------------------------------------


def _was_in(session: Session, user: User) -> bool:
    leaver = SetLeaver.objects.filter(learning_set=session.learning_set, user=user).first()
    seated = MatchMember.objects.filter(match_id=session.learning_set.match_id, user=user)
    joined = joined_at(learning_set=session.learning_set, user=user)
    return (
        seated.exists()
        and (leaver is None or leaver.left_at > session.starts_at)
        and part_of(session, joined)
    )


@transaction.atomic
def checkin_submit(*, session: Session, user: User, data: dict, now: dt.datetime) -> SessionCheckIn:
    """A member's check-in after a session (once; a second one is refused)."""
    if not has_started(session, now):
        raise SetError("You can check in once the session has started.")
    if not _was_in(session, user):
        raise SetError("You were not in this set for that session.")
    if SessionCheckIn.objects.filter(session=session, user=user).exists():
        raise SetError("You have already checked in for this session.")
    return SessionCheckIn.objects.create(session=session, user=user, **data)


@transaction.atomic
def set_evaluation_submit(
    *, learning_set: LearningSet, user: User, data: dict, now: dt.datetime
) -> SetEvaluation:
    """The end-of-cycle evaluation, once every session has been held or cancelled."""
    if not cycle_over(learning_set, now):
        raise SetError("The set evaluation opens after the last session.")
    if user.pk not in set_member_ids(learning_set):
        raise SetError("You are not in this set.")
    if SetEvaluation.objects.filter(learning_set=learning_set, user=user).exists():
        raise SetError("You have already evaluated this set.")
    return SetEvaluation.objects.create(learning_set=learning_set, user=user, **data)
