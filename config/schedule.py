"""The scheduler above the apps: one tick composes each app's due work, so no app's
services import another's. Beat runs `config.tasks.tick`; `run_due_rounds` runs it with
no worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from config.health import record_tick
from feedback.services import evaluations_free_text_expire, followups_send_due
from feedback.strategies.services import strategy_reminders_send_due
from members.retention import accounts_retention_due, invitations_retention_due
from pairing import outbox
from pairing.rounds import rounds_tick


def schedule_tick(*, now: dt.datetime) -> None:
    """Resume pauses, day-before notices, due rounds, due follow-ups, search-strategy
    reminders, retention; then sweep."""
    rounds_tick(now=now)
    followups_send_due(now=now)
    strategy_reminders_send_due(now=now)
    # Retention (privacy notice): inactive accounts warned then deleted; old free text.
    accounts_retention_due(now=now)
    invitations_retention_due(now=now)
    evaluations_free_text_expire(now=now, days=settings.RETENTION_INACTIVE_DAYS)
    outbox.outbox_sweep(now=now)
    record_tick(now)
