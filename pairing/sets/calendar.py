"""A session's calendar file (.ics): the same UID for every version, SEQUENCE from the
change it announces, METHOD REQUEST for an invitation or update, CANCEL for a
cancellation, PUBLISH for a download from the set page."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress

from pairing.kinds import kind_of
from pairing.outbox.render import site_domain
from pairing.sets.models import Session
from pairing.sets.plan import zone_named

METHODS = ("REQUEST", "CANCEL", "PUBLISH")


def session_uid(session: Session) -> str:
    return f"learning-set-session-{session.uid}@{site_domain()}"


def session_calendar(
    session: Session,
    *,
    method: str,
    sequence: int,
    attendee: tuple[str, str] | None = None,
) -> bytes:
    """The .ics for one session. `attendee` (name, email) is the one recipient: other
    members' addresses never go into someone else's calendar file."""
    if method not in METHODS:
        raise ValueError(method)
    learning_set = session.learning_set
    cycle = learning_set.cycle
    programme = cycle.programme
    zone = zone_named(session.time_zone)
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    organiser_name, organiser_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["CN"] = organiser_name or settings.SITE_NAME
    attendees = []
    if attendee:
        address = vCalAddress(f"mailto:{attendee[1]}")
        if attendee[0]:  # a replaced external facilitator: their name is not kept
            address.params["CN"] = attendee[0]
        attendees.append(address)
    cancelled = method == "CANCEL"
    event = Event.new(
        uid=session_uid(session),
        sequence=sequence,
        start=start,
        end=end,
        stamp=dt.datetime.now(dt.UTC),
        summary=f"{kind_of(programme).calendar_prefix}: {programme.name}, session {session.number}",
        description=_description(session),
        location=cycle.place or None,
        organizer=organizer,
        attendees=attendees,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    calendar = Calendar.new(
        method=method,
        prodid=f"-//{settings.SITE_NAME}//Learning sets//EN",
        subcomponents=[event],
    )
    calendar.add_missing_timezones(
        first_date=start.date() - dt.timedelta(days=366),
        last_date=start.date() + dt.timedelta(days=366),
    )
    return calendar.to_ical()


def calendar_file(
    session: Session, *, method: str, attendee: tuple[str, str], filename: str = ""
) -> tuple[str, bytes, str]:
    """An email attachment: the session's .ics at its current sequence."""
    ics = session_calendar(session, method=method, sequence=session.sequence, attendee=attendee)
    name = filename or f"learning-set-session-{session.number}.ics"
    return name, ics, f"text/calendar; method={method}"


def _description(session: Session) -> str:
    cycle = session.learning_set.cycle
    lines = [
        f"{cycle.programme.name}: set {session.learning_set.number}, session "
        f"{session.number} of {cycle.sessions}.",
    ]
    if cycle.online_link:
        lines.append(f"Join online: {cycle.online_link}")
    if cycle.venue:
        lines.append(f"Venue: {cycle.venue}")
    lines.append("The set page shows who presents and the ground rules.")
    return "\n".join(lines)
