"""The suggested slot in words, and the introduction's calendar invitation (.ics)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress

from members.models import User
from pairing.emails.text import and_join
from pairing.kinds import kind_of
from pairing.models import Match, Programme
from pairing.outbox.render import site_domain


def slot_sentence(start: dt.datetime, people: list[dict]) -> str:
    """The slot in each person's own time zone, e.g. "Tuesday 2 December, 10:00 for Ada
    (Europe/London), 11:00 for Jan (Europe/Warsaw)", or once when they share one:
    "Tuesday 2 December, 10:00 (Europe/London)"."""
    local = [(p, start.astimezone(zone_of(p["time_zone"]))) for p in people]
    days = {f"{t:%A} {t.day} {t:%B}" for _p, t in local}
    zones = {p["time_zone"] for p in people}
    if len(zones) == 1:  # one zone for everyone: said once, e.g. "10:00 (Europe/London)"
        t = local[0][1]
        return f"{t:%A} {t.day} {t:%B}, {t:%H:%M} ({zones.pop()})"
    if len(days) == 1:
        times = ", ".join(f"{t:%H:%M} for {p['name']} ({p['time_zone']})" for p, t in local)
        return f"{days.pop()}, {times}"
    # Across the date line the day differs too, so each person gets their own date.
    return "; ".join(
        f"{t:%A} {t.day} {t:%B}, {t:%H:%M} for {p['name']} ({p['time_zone']})" for p, t in local
    )


def zone_of(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def match_calendar(match: Match, users: list[User], programme: Programme, names: str = "") -> bytes:
    host = match.host if match.host in users else users[0]
    start = match.suggested_start.astimezone(zone_of(host.profile.time_zone))
    organiser_name, organiser_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["CN"] = organiser_name or settings.SITE_NAME
    attendees = []
    for user in users:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["CN"] = user.profile.display_name
        attendees.append(attendee)
    names = names or and_join([u.profile.display_name for u in users])
    event = Event.new(
        uid=f"match-{match.pk}@{site_domain()}",  # stable: a resend updates, not duplicates
        start=start,
        end=start + kind_of(programme).meeting,
        stamp=match.created_at,
        summary=kind_of(programme).calendar_title(names),
        description=f"{programme.name}. {host.profile.display_name} hosts and may propose "
        "another time.",
        organizer=organizer,
        attendees=attendees,
    )
    calendar = Calendar.new(
        method="PUBLISH",
        prodid=f"-//{settings.SITE_NAME}//Introductions//EN",
        uid=f"calendar-match-{match.pk}@{site_domain()}",
        subcomponents=[event],
    )
    calendar.add_missing_timezones(
        first_date=start.date() - dt.timedelta(days=366),
        last_date=start.date() + dt.timedelta(days=366),
    )
    return calendar.to_ical()
