"""Run a round exactly once: claim it, match, save, queue the introductions."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from members.models import User
from pairing.kinds import kind_of
from pairing.models import Round, RoundStatus
from pairing.outbox import outbox_enqueue
from pairing.rounds.eligibility import round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.preview import OPEN, round_solution
from pairing.rounds.problem import round_problem
from pairing.rounds.save import round_save
from pairing.sets.selectors import cycle_running

logger = logging.getLogger(__name__)


def round_run(*, pairing_round: Round, now: dt.datetime, run_by: User | None = None) -> Round:
    """Run the round once: match (the organiser's draft if there is one), save the matches
    and their outbox rows in one transaction, queue the emails after commit.

    Claiming the round with a conditional UPDATE means a second call, a retry, or a
    second organiser pressing "run" at the same moment does nothing."""
    claimed = Round.objects.filter(
        pk=pairing_round.pk, status__in=[RoundStatus.PLANNED, RoundStatus.FAILED]
    ).update(
        status=RoundStatus.RUNNING,
        started_at=now,
        run_by=run_by,
        error="",
        progress_note="Finding eligible members",
        progress_done=0,
        progress_total=0,
    )
    pairing_round.refresh_from_db()
    if not claimed:
        return pairing_round
    try:
        return _run_claimed(pairing_round, now)
    except Exception as error:
        logger.exception("Round %s failed", pairing_round.pk)
        Round.objects.filter(pk=pairing_round.pk).update(
            status=RoundStatus.FAILED,
            error=failure_words(error)[:2000],
            progress_note="Failed",
        )
        pairing_round.refresh_from_db()
        raise


def round_run_by_id(*, round_id: int, now: dt.datetime, run_by_id: int | None = None) -> Round:
    pairing_round = Round.objects.select_related("programme").defer("draft").get(pk=round_id)
    run_by = User.objects.filter(pk=run_by_id).first() if run_by_id else None
    return round_run(pairing_round=pairing_round, now=now, run_by=run_by)


def _progress(pairing_round: Round, note: str, done: int = 0, total: int = 0) -> None:
    # Written outside the saving transaction so the admin's progress page can read it.
    Round.objects.filter(pk=pairing_round.pk).update(
        progress_note=note, progress_done=done, progress_total=total
    )


def _run_claimed(pairing_round: Round, now: dt.datetime) -> Round:
    today = timezone.localdate(now)
    programme = pairing_round.programme
    if kind_of(programme).stable_groups and cycle_running(programme=programme, today=today):
        raise RoundError(
            "this programme's learning sets are still meeting: their sets stay together "
            "until the cycle's last session, so a new cycle's sets can be formed after it"
        )
    eligibility = round_eligibility(programme=pairing_round.programme, today=today)
    problem = round_problem(pairing_round=pairing_round, memberships=eligibility.eligible)
    _progress(pairing_round, f"Matching {len(problem['members'])} members")
    draft = pairing_round.draft or {}
    fixed = [g["members"] for g in draft.get("groups", [])]
    solution = round_solution(pairing_round, problem, draft, fixed)
    _progress(pairing_round, f"Saving {len(solution['groups'])} matches")
    with transaction.atomic():
        email_ids = round_save(pairing_round, solution["problem"], solution, eligibility, now)
        # Another open round's draft was formed before these matches existed (its groups
        # may repeat them; those it left out look changed): it is formed afresh when next
        # looked at.
        Round.objects.filter(programme=programme, status__in=OPEN).exclude(
            pk=pairing_round.pk
        ).filter(draft__isnull=False).update(draft=None)
        transaction.on_commit(lambda: outbox_enqueue(email_ids), robust=True)
    pairing_round.refresh_from_db()
    return pairing_round


def failure_words(error: Exception) -> str:
    """What the organiser reads on a failed round: what happened, then the detail an
    administrator needs."""
    if isinstance(error, RoundError):
        return str(error)
    return (
        "the matching stopped with an unexpected error, so no match was saved and no "
        f"email was sent (for the site's administrator: {type(error).__name__}: {error})"
    )
