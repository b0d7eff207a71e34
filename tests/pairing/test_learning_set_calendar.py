"""Session invitations parsed back with icalendar: one stable UID per session, SEQUENCE
rising with each change, METHOD REQUEST for invitations and updates, CANCEL for a
cancellation; the recipient is the only attendee."""

from __future__ import annotations

import datetime as dt

import pytest

from members.models import User
from pairing.models import OutboxKind
from pairing.sets import services
from pairing.sets.selectors import set_host_id
from tests.pairing.set_helpers import (
    NOW,
    calendar_of,
    form_cycle,
    join,
    learning_set_programme,
    rows,
)

pytestmark = pytest.mark.django_db


def _events(outbox):
    calendar = calendar_of(outbox)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_invite_update_and_cancel_share_the_uid_with_a_rising_sequence():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    host = User.objects.get(pk=set_host_id(learning_set))
    session = learning_set.sessions.get(number=2)

    services.session_move(
        session=session, by=host, starts_at=session.starts_at + dt.timedelta(days=2), now=NOW
    )
    session.refresh_from_db()
    services.session_cancel(session=session, by=host, now=NOW)

    mine = [
        r
        for kind in (OutboxKind.SESSION_INVITE, OutboxKind.SESSION_CANCEL)
        for r in rows(kind, user=host)
        if r.key.split(":")[1] == str(session.pk)
    ]
    parsed = [_events(r) for r in mine]
    methods = [str(c["METHOD"]) for c, _e in parsed]
    sequences = [int(e["SEQUENCE"]) for _c, e in parsed]
    uids = {str(e["UID"]) for _c, e in parsed}
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert sequences == [0, 1, 2]
    assert len(uids) == 1 and session.uid in uids.pop()
    assert str(parsed[-1][1]["STATUS"]) == "CANCELLED"
    moved = parsed[1][1].DTSTART
    assert moved == session.starts_at
    assert parsed[1][1].DTEND - moved == dt.timedelta(hours=3)


def test_the_only_attendee_is_the_recipient():
    programme = learning_set_programme()
    members = join(programme, 5)
    form_cycle(programme)

    outbox = rows(OutboxKind.SESSION_INVITE, user=members[0])[0]
    _calendar, event = _events(outbox)

    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == [f"mailto:{members[0].email}"]
    assert "Room 1" in str(event["LOCATION"])


def test_an_external_facilitator_is_invited_to_every_session():
    programme = learning_set_programme()
    join(programme, 5)

    form_cycle(
        programme,
        facilitation="external",
        facilitator_email="fac@example.org",
        facilitator_name="Fay",
    )

    external = [r for r in rows(OutboxKind.SESSION_INVITE) if r.user_id is None]
    assert len(external) == 6
    calendar = calendar_of(external[0])
    (event,) = calendar.walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:fac@example.org"
