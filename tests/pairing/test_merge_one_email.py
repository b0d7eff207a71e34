"""A merge reaches each member who moves in one email: the merge notice says which set
they joined, the old set's sessions that no longer concern them and the new set's
sessions (on their own day), and carries a calendar file for each (a CANCEL for each old
session, a REQUEST for each new one) instead of one email per session. Counted per
recipient in the outbox, as the worker would send them."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter

import pytest
from django.utils import timezone
from icalendar import Calendar

from members.models import User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.calendar import session_uid
from pairing.sets.models import LearningSet, SessionStatus
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme
from tests.pairing.test_learning_set_merge_rules import shrink

pytestmark = pytest.mark.django_db

EXTERNAL = "grace@example.org"


def _sets(sessions: int = 6):
    """Set 1 (grows, 5 members) and set 2 (two members left in it, to merge), each with
    `sessions` sessions, all still to come; and an organiser."""
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (into, mine) = form_cycle(programme, now=timezone.now(), sessions=sessions)
    shrink(mine, 2)
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return mine, into, organiser


def _merge(mine: LearningSet, into: LearningSet, organiser: User) -> Counter:
    """Merge `mine` into `into`: the emails the merge wrote, per recipient."""
    last = OutboxEmail.objects.order_by("-pk").first()
    since = last.pk if last else 0
    services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())
    return Counter(r.user_id or r.address for r in OutboxEmail.objects.filter(pk__gt=since))


def _text(outbox: OutboxEmail) -> str:
    message = build_message(outbox)
    return message.subject + "\n" + message.body + "\n" + message.alternatives[0][0]


def _events(outbox: OutboxEmail) -> list[tuple[str, str, int, str]]:
    """(METHOD, UID, SEQUENCE, attendee) of each calendar file the email carries."""
    found = []
    for _name, content, _mimetype in build_message(outbox).attachments:
        calendar = Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
        (event,) = calendar.walk("VEVENT")
        found.append(
            (
                str(calendar["METHOD"]),
                str(event["UID"]),
                int(event["SEQUENCE"]),
                str(event.get("ATTENDEE", "")),
            )
        )
    return found


def _day(session, user: User) -> str:
    local = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(user.profile.time_zone))
    return f"Session {session.number}: {local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


@pytest.mark.parametrize("sessions", [4, 6])
def test_a_merge_is_one_email_to_each_member_who_moves_and_each_who_stays(sessions):
    mine, into, organiser = _sets(sessions)
    movers, staying = set_member_ids(mine), set_member_ids(into)

    told = _merge(mine, into, organiser)

    # Before: 9 emails to each mover with 4 sessions, 13 with 6 (a cancellation and an
    # invitation per session, and the merge notice).
    assert told == Counter(dict.fromkeys([*movers, *staying], 1))


def test_the_one_email_carries_a_cancel_for_each_old_session_and_a_request_for_each_new():
    mine, into, organiser = _sets(4)
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    old = list(mine.sessions.order_by("number"))
    new = list(into.sessions.order_by("number"))

    _merge(mine, into, organiser)

    (notice,) = OutboxEmail.objects.filter(kind=OutboxKind.SET_NOTICE, user=mover)
    attendee = f"mailto:{mover.email}"
    # The same UID as the invitations sent at forming, one SEQUENCE higher to cancel.
    assert _events(notice) == [
        *[("CANCEL", session_uid(s), s.sequence + 1, attendee) for s in old],
        *[("REQUEST", session_uid(s), s.sequence, attendee) for s in new],
    ]
    names = [name for name, _c, _t in build_message(notice).attachments]
    assert len(set(names)) == len(names) == 8  # set 1 and set 2 both have a session 1
    assert all(s.status == SessionStatus.CANCELLED and s.sequence == 1 for s in mine.sessions.all())


def test_the_one_email_lists_the_old_and_new_sessions_on_the_movers_own_day():
    mine, into, organiser = _sets(4)
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    mover.profile.time_zone = "Pacific/Pago_Pago"  # a day earlier than London's evening
    mover.profile.save()

    _merge(mine, into, organiser)

    (notice,) = OutboxEmail.objects.filter(kind=OutboxKind.SET_NOTICE, user=mover)
    text = _text(notice)
    assert f"you have joined set {into.number}" in text
    old_part, new_part = text.split(f"SET {into.number}'S SESSIONS STILL TO COME")[:2]
    for session in mine.sessions.all():
        assert _day(session, mover) in old_part.split(f"SET {mine.number}'S SESSIONS")[1]
    for session in into.sessions.all():
        assert _day(session, mover) in new_part
    assert "comes in its own email" not in text
    assert "Each attached calendar file" in text


def test_after_sessions_were_held_only_those_still_to_come_are_cancelled_and_invited():
    mine, into, organiser = _sets(4)
    hold_sessions(mine, 2)
    hold_sessions(into, 1)
    mover = User.objects.get(pk=set_member_ids(mine)[0])

    _merge(mine, into, organiser)

    (notice,) = OutboxEmail.objects.filter(kind=OutboxKind.SET_NOTICE, user=mover)
    sent = [(method, uid) for method, uid, _seq, _who in _events(notice)]
    assert sent == [
        *[("CANCEL", session_uid(s)) for s in mine.sessions.filter(number__gt=2)],
        *[("REQUEST", session_uid(s)) for s in into.sessions.filter(number__gt=1)],
    ]


def test_the_merged_sets_external_facilitator_gets_one_email_cancelling_its_sessions():
    mine, into, organiser = _sets(4)
    mine.facilitator_email, mine.facilitator_name = EXTERNAL, "Grace Lee"
    mine.save(update_fields=["facilitator_email", "facilitator_name"])

    told = _merge(mine, into, organiser)

    # Before: nothing, and the cancelled sessions stayed in their calendar.
    assert told[EXTERNAL] == 1
    (notice,) = OutboxEmail.objects.filter(address=EXTERNAL)
    text = _text(notice)
    assert "Hello Grace Lee" in text
    assert f"Set {mine.number} of {mine.cycle.programme.name} has been merged into set" in text
    assert _events(notice) == [
        ("CANCEL", session_uid(s), 1, f"mailto:{EXTERNAL}") for s in mine.sessions.all()
    ]


def test_a_merges_emails_written_again_are_not_sent_twice():
    mine, into, organiser = _sets(4)
    mine.facilitator_email = EXTERNAL
    mine.save(update_fields=["facilitator_email"])
    movers = set_member_ids(mine)
    _merge(mine, into, organiser)
    count = OutboxEmail.objects.count()
    from pairing.sets.notify import merge_news  # here: the module's other tests run without it

    # A retried transaction writes the same rows.
    merge_news(mine, into, movers, list(mine.sessions.all()), list(into.sessions.all()))

    assert OutboxEmail.objects.count() == count


def test_a_merge_notice_queued_before_the_change_still_renders_without_calendars():
    mine, into, organiser = _sets(4)
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    _merge(mine, into, organiser)
    (notice,) = OutboxEmail.objects.filter(kind=OutboxKind.SET_NOTICE, user=mover)
    older = OutboxEmail.objects.create(
        key=f"set_notice:merge_joined:{into.pk}:{mover.pk}:merged-{mine.pk}",
        kind=OutboxKind.SET_NOTICE,
        match_id=into.match_id,
        user=mover,
    )

    # An email queued before says the calendar files come one a session, as they did;
    # the one written now says they are attached.
    assert "a cancellation for each comes in its own email" in _text(older)
    assert not build_message(older).attachments
    assert "a cancellation for each comes in its own email" not in _text(notice)
    assert f"you have joined set {into.number}" in _text(older)


def test_a_session_of_the_new_set_moved_before_the_merge_is_invited_at_its_sequence():
    mine, into, organiser = _sets(4)
    second = into.sessions.get(number=2)
    services.session_move(
        session=second,
        by=organiser,
        starts_at=second.starts_at + dt.timedelta(days=1),
        now=timezone.now(),
    )
    second.refresh_from_db()
    mover = User.objects.get(pk=set_member_ids(mine)[0])

    _merge(mine, into, organiser)

    (notice,) = OutboxEmail.objects.filter(kind=OutboxKind.SET_NOTICE, user=mover)
    requests = {uid: seq for method, uid, seq, _who in _events(notice) if method == "REQUEST"}
    assert requests[session_uid(second)] == second.sequence == 1
    text = _text(notice)
    assert _day(second, mover) in text  # its new time
    assert "Moved" not in text
