"""A preview that may take more than a couple of seconds is formed by the worker, so no
page waits for the engine. The round itself records the work: `progress_note` says
groups are being formed (or that forming failed, with the reason in `error`),
`started_at` when, `progress_total` how many members it may place. One computation per round at
a time: it is claimed with a conditional UPDATE, and only the claim's own job may save
its result, so double clicks, two organisers, a redelivered task or a late job from a
restarted claim never overwrite each other. A claim older than STALE_AFTER (a worker
that died) can be claimed again."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Q

from pairing.models import Round, RoundStatus
from pairing.rounds.errors import RoundError
from pairing.rounds.preview import OPEN, preview_solution
from pairing.rounds.run import failure_words

logger = logging.getLogger(__name__)

FORMING = "Forming groups"
FORMING_FAILED = "Forming groups failed"
STALE_AFTER = dt.timedelta(minutes=10)
# The engine's cost grows with the members it places and the group size: pairs are an
# assignment problem, fast up to a few thousand members; groups of three or more are a
# set-partitioning problem that can take tens of seconds above about 30 members.
FAST_PAIRS = 2000
FAST_GROUPS = 30


def preview_is_slow(*, group_size: int, members: int) -> bool:
    """Whether placing `members` may take more than about 2 s (a cheap estimate)."""
    return members > (FAST_PAIRS if group_size <= 2 else FAST_GROUPS)


@dataclass(frozen=True)
class PreviewState:
    forming: bool
    failed: bool
    stale: bool
    seconds: int
    error: str


def preview_state(pairing_round: Round, *, now: dt.datetime) -> PreviewState | None:
    """Whether this round's preview is being formed (or failed forming); None if idle."""
    if pairing_round.status not in OPEN or pairing_round.progress_note not in {
        FORMING,
        FORMING_FAILED,
    }:
        return None
    started = pairing_round.started_at or now
    return PreviewState(
        forming=pairing_round.progress_note == FORMING,
        failed=pairing_round.progress_note == FORMING_FAILED,
        stale=pairing_round.progress_note == FORMING and now - started > STALE_AFTER,
        seconds=max(0, int((now - started).total_seconds())),
        error=pairing_round.error if pairing_round.progress_note == FORMING_FAILED else "",
    )


def preview_claim(*, pairing_round: Round, now: dt.datetime, members: int) -> bool:
    """Mark the round's preview as being formed from `now`; False if a preview is being
    formed already (and is not stale) or the round has run."""
    claimed = (
        Round.objects.filter(pk=pairing_round.pk, status__in=OPEN)
        .filter(
            ~Q(progress_note=FORMING)
            | Q(started_at__isnull=True)
            | Q(started_at__lt=now - STALE_AFTER)
        )
        .update(progress_note=FORMING, started_at=now, progress_done=0, progress_total=members)
    )
    pairing_round.refresh_from_db()
    return bool(claimed)


def preview_form(
    *, round_id: int, claimed_at: dt.datetime, today: dt.date, reshuffle: bool
) -> bool:
    """The claimed job: form the preview and save it, if the claim is still this job's.
    A failure is recorded in words for the organiser, never raised. Returns whether a
    result (groups or a failure) was saved."""
    mine = Q(pk=round_id, status__in=OPEN, progress_note=FORMING, started_at=claimed_at)
    pairing_round = Round.objects.select_related("programme").filter(mine).first()
    if pairing_round is None:
        return False  # a newer claim, or a run, took the round over
    try:
        preview_solution(pairing_round=pairing_round, today=today, reshuffle=reshuffle)
    except Exception as error:
        if not isinstance(error, RoundError):
            logger.exception("Forming the preview of round %s failed", round_id)
        return bool(
            Round.objects.filter(mine).update(
                progress_note=FORMING_FAILED, error=failure_words(error)[:2000]
            )
        )
    done = {"seed": pairing_round.seed, "draft": pairing_round.draft, "progress_note": ""}
    if pairing_round.status == RoundStatus.PLANNED:
        done["error"] = ""
    return bool(Round.objects.filter(mine).update(**done))


def preview_dismiss(*, pairing_round: Round) -> None:
    """Clear a failed forming (the organiser keeps the previous preview)."""
    Round.objects.filter(pk=pairing_round.pk, progress_note=FORMING_FAILED).update(
        progress_note="", error=""
    )
    pairing_round.refresh_from_db()
