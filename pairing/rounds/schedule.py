"""The schedule: plan a programme's round for a date, send the day-before notices, run
the rounds that are due. `rounds_tick` is pairing's share of the scheduler's tick."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from pairing.kinds import kind_of
from pairing.models import OutboxEmail, OutboxKind, Programme, Round, RoundStatus
from pairing.outbox import outbox_enqueue
from pairing.rounds.eligibility import round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.preview import OPEN
from pairing.rounds.run import round_run
from pairing.rounds.save import next_round_on_after
from pairing.rounds.waits import round_held_today
from pairing.services import memberships_resume_due
from pairing.sets.schedule import sets_tick
from pairing.sets.selectors import cycle_running

logger = logging.getLogger(__name__)


def round_plan(*, programme: Programme, scheduled_for: dt.date, seed: int | None = None) -> Round:
    """The round of this programme for that date, created (planned) if it does not exist,
    with a random seed unless `seed` is given (the demo's rounds come out the same every
    time)."""
    existing = Round.objects.filter(programme=programme, scheduled_for=scheduled_for).first()
    if existing:
        return existing
    for _attempt in range(3):
        number = (
            programme.rounds.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        try:
            with transaction.atomic():
                return Round.objects.create(
                    programme=programme,
                    number=number,
                    scheduled_for=scheduled_for,
                    seed=secrets.randbelow(2**31) if seed is None else seed,
                )
        except IntegrityError:
            existing = Round.objects.filter(
                programme=programme, scheduled_for=scheduled_for
            ).first()
            if existing:
                return existing
    raise RoundError("Could not plan the round: please try again.")


def round_move_open(*, programme: Programme, to: dt.date) -> Round | None:
    """Move the programme's open round (planned or failed, its draft kept) to the day `to`,
    when the organiser moves the next round there and no round is dated `to` yet; the
    moved round, or None. So a date change never leaves a round behind on the old day,
    to be run out of turn later (walk 25)."""
    if Round.objects.filter(programme=programme, scheduled_for=to).exists():
        return None
    moving = (
        Round.objects.filter(programme=programme, status__in=OPEN)
        .filter(matches__isnull=True)
        .defer("draft")
        .order_by("-number")
        .first()
    )
    if moving is None:
        return None
    try:
        with transaction.atomic():
            Round.objects.filter(pk=moving.pk, status__in=OPEN).update(scheduled_for=to)
    except IntegrityError:  # another request dated a round `to` meanwhile
        return None
    moving.scheduled_for = to
    return moving


def moved_words(moved: Round) -> str:
    """What the organiser is told when the open round moved with the date."""
    draft = Round.objects.filter(pk=moved.pk, draft__isnull=False).exists()
    return (
        f"Round {moved.number} moved with the date: it is now planned for "
        f"{moved.scheduled_for:%-d %B %Y}" + (", with your draft kept." if draft else ".")
    )


def rounds_run_due(*, now: dt.datetime) -> list[Round]:
    """Run every programme whose next round date has come (once each)."""
    today = timezone.localdate(now)
    done = []
    for programme in Programme.objects.filter(next_round_on__lte=today):
        if _sets_stay(programme, today):
            continue
        pairing_round = round_plan(programme=programme, scheduled_for=programme.next_round_on)
        if pairing_round.status == RoundStatus.DONE:
            # The date is a round that has already run (perhaps early): move the schedule
            # on from it rather than wait on it for ever.
            after = next_round_on_after(pairing_round)
            Programme.objects.filter(pk=programme.pk).update(next_round_on=after)
            continue
        # A failed round is tried again at each tick (a passing fault heals by itself).
        if pairing_round.status not in {RoundStatus.PLANNED, RoundStatus.FAILED}:
            continue
        if round_held_today(programme=programme, today=today):
            # Another round ran today (early, from the preview): this one waits for
            # tomorrow's tick, so nobody is introduced twice in a day.
            continue
        try:
            done.append(round_run(pairing_round=pairing_round, now=now))
        except Exception:
            # Recorded on the round (status failed, error in words) and logged; one
            # programme's failure must not stop the others' rounds.
            logger.warning("Due round of %s failed; see the round's page", programme)
    return done


def notices_send_due(*, now: dt.datetime) -> int:
    """The day before a round, tell each eligible member (with a 'skip this one' link)."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    queued: list[int] = []
    for programme in Programme.objects.filter(next_round_on=tomorrow):
        if "notice" not in kind_of(programme).emails or _sets_stay(programme, tomorrow):
            continue
        pairing_round = round_plan(programme=programme, scheduled_for=tomorrow)
        # Sent once; never for a round that has already run (a date set back to it).
        if pairing_round.notice_sent_at or pairing_round.status == RoundStatus.DONE:
            continue
        eligible = round_eligibility(programme=programme, today=tomorrow).eligible
        with transaction.atomic():
            claimed = Round.objects.filter(pk=pairing_round.pk, notice_sent_at__isnull=True).update(
                notice_sent_at=now
            )
            if not claimed:
                continue
            rows = OutboxEmail.objects.bulk_create(
                [
                    OutboxEmail(
                        key=f"notice:{pairing_round.pk}:{m.user_id}",
                        kind=OutboxKind.NOTICE,
                        pairing_round=pairing_round,
                        user=m.user,
                    )
                    for m in eligible
                ]
            )
            queued += [r.pk for r in rows]
    if queued:
        transaction.on_commit(lambda: outbox_enqueue(queued), robust=True)
    return len(queued)


def _sets_stay(programme: Programme, day: dt.date) -> bool:
    # A stable-groups kind keeps its sets for the whole cycle: no round reshuffles them
    # while a session is still to come.
    return kind_of(programme).stable_groups and cycle_running(programme=programme, today=day)


def rounds_tick(*, now: dt.datetime) -> None:
    """Pairing's due work, in order: resume pauses, day-before notices, due rounds, then
    learning-set session reminders and check-ins."""
    memberships_resume_due(today=timezone.localdate(now))
    notices_send_due(now=now)
    rounds_run_due(now=now)
    sets_tick(now=now)
