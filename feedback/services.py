"""Feedback services: the "did you meet?" follow-ups and saving a member's evaluation.

The follow-up conversation with one member about one match lives in their `CheckIn`:
asked once `followup_days` after the round ran, reminded once a week later if they have
not answered, and asked again a week after each "not yet" (at most twice more).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from feedback.closing import FEEDBACK_WINDOW, evaluation_closes_at, feedback_closing
from feedback.models import EVALUATION_ANSWERS, EVALUATION_FREE_TEXT, CheckIn, Evaluation, Met
from members.models import Interest, User
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

REMIND_AFTER = dt.timedelta(days=7)
ASK_AGAIN_AFTER = dt.timedelta(days=7)
MAX_ASKS = 3  # the first ask and at most two more after "not yet"
BATCH_SIZE = 500
EVALUATION_FIELDS = EVALUATION_ANSWERS


class EvaluationError(Exception):
    """An evaluation that cannot be saved; the message is shown to the member."""


# --- When feedback is open -------------------------------------------------------------


def evaluation_is_open(*, match: Match, now: dt.datetime) -> bool:
    """Whether members of `match` can still give or change their feedback."""
    closes = evaluation_closes_at(pairing_round=match.pairing_round)
    return closes is not None and now < closes


# --- Follow-ups ----------------------------------------------------------------------


def followups_send_due(*, now: dt.datetime) -> int:
    """Queue every "did you meet?" email that is due: first asks, the one reminder, and
    asks after "not yet". Returns how many emails were queued.

    Safe to run from two ticks at once: a CheckIn is unique per seat, every claim is a
    conditional UPDATE, and each email's outbox key is unique, so nothing is sent twice."""
    queued = 0
    for pairing_round in _open_rounds(now):
        programme = pairing_round.programme
        if "followup" not in kind_of(programme).emails:
            continue  # e.g. a kind that asks after each session instead
        if pairing_round.finished_at + dt.timedelta(days=programme.followup_days) <= now:
            queued += _first_asks(pairing_round, now)
        queued += _reminders(pairing_round, now)
        queued += _asks_again(pairing_round, now)
    return queued


def _open_rounds(now: dt.datetime) -> list[Round]:
    rounds = (
        Round.objects.filter(
            status=RoundStatus.DONE,
            finished_at__isnull=False,
            finished_at__lte=now,
            finished_at__gt=now - FEEDBACK_WINDOW,
        )
        .select_related("programme")
        .defer("draft")
    )
    return [r for r in rounds if now < (evaluation_closes_at(pairing_round=r) or now)]


def _askable_seats(pairing_round: Round) -> QuerySet[MatchMember]:
    """Seats of members we may still email about this round: an active account, still in
    the programme, and no answer other than "not yet"."""
    answered = Evaluation.objects.filter(
        match=OuterRef("match_id"), user=OuterRef("user_id")
    ).exclude(met=Met.NOT_YET)
    left = Membership.objects.filter(
        user=OuterRef("user_id"),
        programme_id=pairing_round.programme_id,
        status=MembershipStatus.LEFT,
    )
    return MatchMember.objects.filter(
        pairing_round=pairing_round, user__isnull=False, user__is_active=True
    ).exclude(Q(Exists(answered)) | Q(Exists(left)))


def _first_asks(pairing_round: Round, now: dt.datetime) -> int:
    # A seat with a CheckIn has been asked, or answered "not yet" before we asked.
    any_answer = Evaluation.objects.filter(match=OuterRef("match_id"), user=OuterRef("user_id"))
    seats = list(
        _askable_seats(pairing_round)
        .filter(checkin__isnull=True)
        .exclude(Exists(any_answer))
        .values_list("pk", "match_id", "user_id")
    )
    queued = 0
    for start in range(0, len(seats), BATCH_SIZE):
        batch = seats[start : start + BATCH_SIZE]
        with transaction.atomic():
            CheckIn.objects.bulk_create(
                [CheckIn(seat_id=pk, asked_at=now, times_asked=1) for pk, _m, _u in batch],
                ignore_conflicts=True,
            )
            ids = outbox_queue(
                [
                    _email(
                        f"followup:{pk}:1", OutboxKind.FOLLOWUP, pairing_round, match_id, user_id
                    )
                    for pk, match_id, user_id in batch
                ]
            )
        queued += len(ids)
    return queued


def _reminders(pairing_round: Round, now: dt.datetime) -> int:
    any_answer = Evaluation.objects.filter(match=OuterRef("match_id"), user=OuterRef("user_id"))
    seats = (
        _askable_seats(pairing_round)
        .exclude(Exists(any_answer))
        .filter(
            checkin__reminded_at__isnull=True,
            checkin__asked_at__lte=now - REMIND_AFTER,
            checkin__ask_again_on__isnull=True,
        )
        .values_list("pk", "match_id", "user_id", "checkin__pk")
    )
    queued = 0
    for pk, match_id, user_id, checkin_pk in seats:
        with transaction.atomic():
            if not CheckIn.objects.filter(pk=checkin_pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another tick got there first
            row = _email(f"reminder:{pk}", OutboxKind.REMINDER, pairing_round, match_id, user_id)
            queued += len(outbox_queue([row]))
    return queued


def _asks_again(pairing_round: Round, now: dt.datetime) -> int:
    today = timezone.localdate(now)
    seats = (
        _askable_seats(pairing_round)
        .filter(checkin__ask_again_on__lte=today, checkin__times_asked__lt=MAX_ASKS)
        .values_list("pk", "match_id", "user_id", "checkin__pk", "checkin__times_asked")
    )
    queued = 0
    for pk, match_id, user_id, checkin_pk, times_asked in seats:
        with transaction.atomic():
            claimed = CheckIn.objects.filter(
                pk=checkin_pk, times_asked=times_asked, ask_again_on__lte=today
            ).update(ask_again_on=None, asked_at=now, times_asked=F("times_asked") + 1)
            if not claimed:
                continue
            key = f"followup:{pk}:{times_asked + 1}"
            row = _email(key, OutboxKind.FOLLOWUP, pairing_round, match_id, user_id)
            queued += len(outbox_queue([row]))
    return queued


def _email(key: str, kind: str, pairing_round: Round, match_id: int, user_id: int) -> OutboxEmail:
    """An outbox row for one member about one match; `key` makes it unique."""
    return OutboxEmail(
        key=key, kind=kind, pairing_round=pairing_round, match_id=match_id, user_id=user_id
    )


# --- Answers -------------------------------------------------------------------------


def ask_again_day(closing: dict | None, today: dt.date) -> dt.date | None:
    """The day "not yet" answered `today` is asked again: a week on, unless feedback
    (`closing`, ``feedback_closing``) closes by then."""
    ask_on = today + ASK_AGAIN_AFTER
    if closing and ask_on >= timezone.localdate(closing["closes_at"]):
        return None
    return ask_on


def checkin_not_yet(*, seat: MatchMember, today: dt.date) -> dt.date | None:
    """The member has not met yet: ask again in a week, unless they have been asked
    `MAX_ASKS` times already or feedback closes before that day (as things stand: walk 43
    was promised an email on 11 January for a round whose feedback closed on 4 January).
    Returns the day we will ask again, or None."""
    checkin, _created = CheckIn.objects.get_or_create(seat=seat)
    ask_on = (
        ask_again_day(feedback_closing(pairing_round=seat.pairing_round), today)
        if checkin.times_asked < MAX_ASKS
        else None
    )
    CheckIn.objects.filter(pk=checkin.pk).update(ask_again_on=ask_on)
    return ask_on


def evaluation_submit(
    *,
    match: Match,
    user: User,
    data: dict,
    topics: Iterable[Interest],
    now: dt.datetime,
) -> Evaluation:
    """Create or update `user`'s evaluation of `match` (one each). Refused once the
    round's feedback has closed. "Not yet" schedules the next ask."""
    seat = MatchMember.objects.filter(match=match, user=user).first()
    if seat is None:
        raise EvaluationError("You were not in this introduction.")
    if not evaluation_is_open(match=match, now=now):
        raise EvaluationError("Feedback for this round has closed.")
    values = {name: data[name] for name in EVALUATION_FIELDS if name in data}
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            match=match, user=user, defaults=values
        )
        evaluation.topics.set(topics)
        if evaluation.met == Met.NOT_YET:
            checkin_not_yet(seat=seat, today=timezone.localdate(now))
        else:
            CheckIn.objects.filter(seat=seat).update(ask_again_on=None)
    return evaluation


# --- Retention -------------------------------------------------------------------------

# Free text older than the retention period is blanked (`EVALUATION_FREE_TEXT`); a
# takeaway the member chose to share stays until they delete their account.


def evaluations_free_text_expire(*, now: dt.datetime, days: int) -> int:
    """Blank the free text of evaluations last written more than `days` ago (and
    takeaways not shared). A queryset UPDATE: `updated_at` stays as the member left it.
    Returns how many evaluations lost text."""
    old = Evaluation.objects.filter(updated_at__lt=now - dt.timedelta(days=days))
    with_text = old.exclude(**{name: "" for name in EVALUATION_FREE_TEXT})
    blanked = set(with_text.values_list("pk", flat=True))
    with_text.update(**{name: "" for name in EVALUATION_FREE_TEXT})
    private = old.filter(share_takeaway=False).exclude(takeaway="")
    blanked |= set(private.values_list("pk", flat=True))
    private.update(takeaway="")
    return len(blanked)
