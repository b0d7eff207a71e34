"""A member's own learning-set record: the sessions they checked in to (with hours) for
the CPD record and its CSV, and everything about their sets for "download my data".
Only the member's own check-ins and evaluations: never another member's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from members.models import User
from pairing.sets.models import SessionCheckIn, SetEvaluation, SetJoiner, SetLeaver


@dataclass(frozen=True)
class SessionRow:
    date: dt.date
    programme: str
    set_number: int
    session_number: int
    attended: bool
    minutes: int | None
    usefulness: int | None
    reflection: str

    @property
    def hours(self) -> float:
        return round((self.minutes or 0) / 60, 1)


def session_cpd_rows(*, user: User, everything: bool = False) -> list[SessionRow]:
    """The member's check-ins, newest first. Time is what they said, else the session's
    length when they attended. A check-in for a session held before the member joined
    its set is not part of their record, but is still their data (`everything`)."""
    checkins = (
        SessionCheckIn.objects.filter(user=user)
        .select_related("session__learning_set__cycle__programme")
        .order_by("-session__starts_at")
    )
    joined = dict(SetJoiner.objects.filter(user=user).values_list("learning_set_id", "joined_at"))
    rows = []
    for c in checkins:
        session = c.session
        if not everything and session.starts_at < joined.get(
            session.learning_set_id, session.starts_at
        ):
            continue  # held before they joined that set: not a session they were part of
        length = int((session.ends_at - session.starts_at).total_seconds() // 60)
        rows.append(
            SessionRow(
                date=timezone.localtime(session.starts_at).date(),
                programme=session.learning_set.cycle.programme.name,
                set_number=session.learning_set.number,
                session_number=session.number,
                attended=c.attended,
                minutes=c.minutes if c.minutes is not None else (length if c.attended else 0),
                usefulness=c.usefulness,
                reflection=c.reflection,
            )
        )
    return rows


def member_set_data(*, user: User) -> dict:
    """The learning-set part of "download my data"."""
    return {
        "learning_set_check_ins": [
            {
                "programme": r.programme,
                "set": r.set_number,
                "session": r.session_number,
                "date": r.date.isoformat(),
                "attended": r.attended,
                "minutes": r.minutes,
                "usefulness": r.usefulness,
                "private_reflection": r.reflection,
            }
            for r in session_cpd_rows(user=user, everything=True)
        ],
        "learning_set_evaluations": [
            {
                "programme": e.learning_set.cycle.programme.name,
                "set": e.learning_set.number,
                "usefulness": e.usefulness,
                "would_recommend": e.would_recommend,
                "confidence_before": e.confidence_before,
                "confidence_after": e.confidence_after,
                "isolation_before": e.isolation_before,
                "isolation_after": e.isolation_after,
                "submitted_at": e.created_at.isoformat(),
            }
            for e in SetEvaluation.objects.filter(user=user).select_related(
                "learning_set__cycle__programme"
            )
        ],
        "learning_sets_left": [
            {
                "programme": leaver.learning_set.cycle.programme.name,
                "set": leaver.learning_set.number,
                "left_at": leaver.left_at.isoformat(),
            }
            for leaver in SetLeaver.objects.filter(user=user).select_related(
                "learning_set__cycle__programme"
            )
        ],
    }
