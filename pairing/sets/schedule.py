"""Learning sets' share of the tick: a reminder a few days before each session (ground
rules, who presents) and a check-in after it. Each session is claimed with a
conditional UPDATE before its rows are written, so two ticks never queue twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from pairing.models import OutboxKind
from pairing.sets.models import LearningSet, Session, SessionStatus, SetJoiner
from pairing.sets.notify import member_notices, session_emails
from pairing.sets.rota import rota_rebalance
from pairing.sets.selectors import set_member_ids

REMINDER_BEFORE = dt.timedelta(days=3)
# A check-in is asked only for a session that ended lately (not for a long-past one
# after an outage, nor for the sessions of a demo loaded mid-cycle).
CHECKIN_WITHIN = dt.timedelta(days=14)


def session_reminders_send_due(*, now: dt.datetime) -> int:
    due = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
    ).select_related("learning_set")
    return _claim_and_queue(due, "reminder_sent_at", OutboxKind.SESSION_REMINDER, now, None)


def session_checkins_send_due(*, now: dt.datetime) -> int:
    due = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        checkin_sent_at__isnull=True,
        ends_at__lte=now,
        ends_at__gt=now - CHECKIN_WITHIN,
    ).select_related("learning_set")
    # The external facilitator is reminded too, but has no check-in to fill in.
    return _claim_and_queue(
        due, "checkin_sent_at", OutboxKind.SESSION_CHECKIN, now, False, users=_part_of
    )


def _part_of(session: Session) -> list[int]:
    """The members who were part of `session`: not those who joined its set after it."""
    late = set(
        SetJoiner.objects.filter(
            learning_set_id=session.learning_set_id, joined_at__gt=session.starts_at
        ).values_list("user_id", flat=True)
    )
    return [u for u in set_member_ids(session.learning_set) if u not in late]


def _claim_and_queue(
    sessions: object,
    field: str,
    kind: str,
    now: dt.datetime,
    external: bool | None,
    users: object = None,
) -> int:
    queued = 0
    for session in sessions:
        with transaction.atomic():
            claimed = Session.objects.filter(
                pk=session.pk, sequence=session.sequence, **{f"{field}__isnull": True}
            ).update(**{field: now})
            if claimed:
                chosen = None if users is None else users(session)
                queued += len(session_emails(kind, [session], users=chosen, external=external))
    return queued


def rotas_repair_due(*, now: dt.datetime) -> int:
    """A deleted account takes its turns with it: re-balance each set left with a session
    to come that nobody presents at. Returns how many sets were re-balanced."""
    gaps = (
        Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now)
        # No presenter, or only the turns of deleted accounts (kept as empty rows).
        .exclude(presenters__user__isnull=False)
        .values_list("learning_set_id", flat=True)
        .distinct()
    )
    repaired = 0
    for learning_set in LearningSet.objects.filter(pk__in=list(gaps), merged_into__isnull=True):
        if set_member_ids(learning_set):
            with transaction.atomic():
                # Locked: the notices are counted, so no other change may count alongside.
                learning_set = LearningSet.objects.select_for_update().get(pk=learning_set.pk)
                rota = rota_rebalance(learning_set=learning_set, now=now)
                member_notices(learning_set, "turns_repaired", rota.changed())
            repaired += 1
    return repaired


def sets_tick(*, now: dt.datetime) -> None:
    """Reminders before sessions, check-ins after them, rotas a deletion left short."""
    session_reminders_send_due(now=now)
    session_checkins_send_due(now=now)
    rotas_repair_due(now=now)
