"""When a round's feedback closes: one rule, read by the feedback pages and emails and by
pairing's emails (not a services module, so another app's services may call it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pairing.kinds import kind_of
from pairing.models import Round, RoundStatus

# A round's feedback closes when the programme's next round has run, or this long after
# it ran, whichever comes first.
FEEDBACK_WINDOW = dt.timedelta(weeks=8)


def ran_at(pairing_round: Round) -> dt.datetime:
    if pairing_round.finished_at or pairing_round.started_at:
        return pairing_round.finished_at or pairing_round.started_at
    return dt.datetime.combine(
        pairing_round.scheduled_for, dt.time(), tzinfo=timezone.get_current_timezone()
    )


def evaluation_closes_at(*, pairing_round: Round) -> dt.datetime | None:
    """When feedback on this round's matches closes: the moment the programme's next round
    finished running, or 8 weeks after this one ran, whichever is first; but never before
    members have had two weeks from the "did you meet?" email (a weekly programme would
    otherwise close before it asks). None if the round has not run."""
    if pairing_round.status != RoundStatus.DONE:
        return None
    next_ran = (
        Round.objects.filter(
            programme_id=pairing_round.programme_id,
            number__gt=pairing_round.number,
            status=RoundStatus.DONE,
            finished_at__isnull=False,
        )
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return _closes(pairing_round, next_ran)


def _closes(pairing_round: Round, next_ran: dt.datetime | None) -> dt.datetime:
    closes = ran_at(pairing_round) + FEEDBACK_WINDOW
    floor = _floor(pairing_round)
    return max(min(closes, next_ran), floor) if next_ran else max(closes, floor)


def feedback_closed(rounds: list[Round], *, now: dt.datetime) -> set[int]:
    """The ids of those of `rounds` whose feedback has closed by `now` (as
    ``evaluation_closes_at`` says), in one query for them all: a member's CPD record lists
    every round they were in."""
    ran = [r for r in rounds if r.status == RoundStatus.DONE]
    later: dict[int, list[tuple[int, dt.datetime]]] = {}
    for programme_id, number, finished in Round.objects.filter(
        programme_id__in={r.programme_id for r in ran},
        status=RoundStatus.DONE,
        finished_at__isnull=False,
    ).values_list("programme_id", "number", "finished_at"):
        later.setdefault(programme_id, []).append((number, finished))
    closed = set()
    for r in ran:
        next_ran = min(
            (f for number, f in later.get(r.programme_id, []) if number > r.number), default=None
        )
        if _closes(r, next_ran) <= now:
            closed.add(r.pk)
    return closed


def _floor(pairing_round: Round) -> dt.datetime:
    return ran_at(pairing_round) + dt.timedelta(days=pairing_round.programme.followup_days + 14)


def feedback_closing(*, pairing_round: Round) -> dict | None:
    """What a member is told about when feedback on this round closes (None if the round
    has not run): ``closes_at``, when it closes as things stand, and ``next_round_on``,
    the planned day of the programme's next round when that round, by running, will close
    it first. Without the second, a monthly programme's form promised "until 1 February"
    (8 weeks) and closed on 5 January, when the next round ran (walk 28)."""
    closes = evaluation_closes_at(pairing_round=pairing_round)
    if closes is None:
        return None
    programme = pairing_round.programme
    upcoming = programme.next_round_on
    word = kind_of(programme).round_word
    # `ends_at`: when it closes by the rule (`evaluation_closes_at`), for "is it open?".
    first = {"closes_at": closes, "next_round_on": None, "round_word": word, "ends_at": closes}
    if upcoming is None or upcoming <= pairing_round.held_on:
        return first
    starts = dt.datetime.combine(upcoming, dt.time(), tzinfo=timezone.get_current_timezone())
    if starts >= closes:
        return first
    floor = _floor(pairing_round)  # a round that runs sooner closes it at this floor
    if starts > floor:
        return first | {"closes_at": starts, "next_round_on": upcoming}
    return first | {"closes_at": floor}
