"""The email to an external facilitator who no longer facilitates a set (the organisers
named someone else, or nobody): one email for every session still to come, each with a
calendar file that removes it from their calendar. The sessions themselves go ahead."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pairing.emails.text import and_join
from pairing.sets.calendar import session_calendar
from pairing.sets.models import Session, SessionStatus
from pairing.sets.plan import zone_named


def released_parts(context: dict, attachments: list, attendee: tuple[str, str]) -> tuple:
    """`context` and `attachments` are the cancellation's for the first session still to
    come (`emails._calendar_parts`); the later sessions' calendar files are added."""
    session = context["session"]
    later = session.learning_set.sessions.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=session.starts_at
    ).order_by("number")
    sessions = [session, *later]
    for other in sessions[1:]:
        other.learning_set = session.learning_set
        ics = session_calendar(other, method="CANCEL", sequence=other.sequence, attendee=attendee)
        attachments.append(
            (f"learning-set-session-{other.number}.ics", ics, "text/calendar; method=CANCEL")
        )
    zone = zone_named(session.time_zone)
    context["released_sessions"] = [
        f"Session {s.number}: {_when(s, zone)} ({session.time_zone})" for s in sessions
    ]
    context["released_numbers"] = and_join([str(s.number) for s in sessions])
    return "session_released", [attendee[1]], context, attachments


def _when(session: Session, zone: dt.tzinfo) -> str:
    local = timezone.localtime(session.starts_at, zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"
