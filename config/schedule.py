"""The scheduler above the apps: one tick composes each app's due work, so no app's
services import another's. Beat runs `config.tasks.tick`; `run_due_rounds` runs it with
no worker."""

from __future__ import annotations

import datetime as dt

from config.health import record_tick
from feedback.services import followups_send_due
from feedback.strategies.services import strategy_reminders_send_due
from pairing import outbox
from pairing.rounds import rounds_tick


def schedule_tick(*, now: dt.datetime) -> None:
    """Resume pauses, day-before notices, due rounds, due follow-ups, search-strategy
    reminders; then sweep."""
    rounds_tick(now=now)
    followups_send_due(now=now)
    strategy_reminders_send_due(now=now)
    outbox.outbox_sweep(now=now)
    record_tick(now)
