"""Why a programme's round cannot run today: one round a day (members are never
introduced twice in a day), and a learning set's sets meet until their cycle's last
session."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

from pairing.kinds import kind_of
from pairing.models import Programme, Round, RoundStatus
from pairing.sets.selectors import cycle_last_session


def round_held_today(*, programme: Programme, today: dt.date) -> Round | None:
    """The round of this programme that ran on `today` (planned for today, or run early),
    if one did."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    return (
        Round.objects.filter(
            programme=programme,
            status=RoundStatus.DONE,
            finished_at__gte=start,
            finished_at__lt=end,
        )
        .defer("draft")
        .order_by("-number")
        .first()
    )


def held_today_words(held: Round, today: dt.date) -> str:
    """Why no other round of the programme can run today, for the organiser."""
    tomorrow = today + dt.timedelta(days=1)
    return (
        f"Round {held.number} ran today, and a programme runs one round a day, so nobody "
        f"is introduced twice in a day: the next round can run from tomorrow, "
        f"{date_format(tomorrow, 'j F Y')}."
    )


def sets_still_meeting(programme: Programme, today: dt.date) -> str:
    """Why a stable-groups programme's round cannot run yet ("" when it can): its sets
    meet until the cycle's last session, and a new cycle is formed after it."""
    if not kind_of(programme).stable_groups:
        return ""
    last = cycle_last_session(programme=programme, today=today)
    if last is None:
        return ""
    return (
        f"The current learning sets still meet until {date_format(last, 'j F Y')}, and "
        "they stay together for the whole cycle: the next cycle's sets can be formed from "
        f"{date_format(last + dt.timedelta(days=1), 'j F Y')}."
    )


def round_waits(*, programme: Programme, today: dt.date) -> str:
    """Why no round of the programme can run today, in words ("" when one can). Sets
    still meeting come first: they wait longer than the day after a round."""
    if meeting := sets_still_meeting(programme, today):
        return meeting
    held = round_held_today(programme=programme, today=today)
    return held_today_words(held, today) if held is not None else ""
