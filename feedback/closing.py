"""When a round's feedback closes: one rule, read by the feedback pages and emails and by
pairing's emails (not a services module, so another app's services may call it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

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
    closes = ran_at(pairing_round) + FEEDBACK_WINDOW
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
    floor = ran_at(pairing_round) + dt.timedelta(days=pairing_round.programme.followup_days + 14)
    return max(min(closes, next_ran), floor) if next_ran else max(closes, floor)
