"""One accepted swap of turns reaches each person in one email, which says everything
that changed for them: who now presents where and, when the swap moved a session's
facilitation (rotating facilitation: its facilitator now presents in it), who
facilitates it now, with the session's updated calendar file. Counted per recipient in
the outbox, as the worker would send them."""

from __future__ import annotations

from collections import Counter

import pytest
from icalendar import Calendar

from members.models import User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.calendar import session_uid
from pairing.sets.models import RotaSwap, Session
from tests.pairing.set_helpers import NOW, rows
from tests.pairing.test_learning_set_updates import _day, _five, _presenter, _text

pytestmark = pytest.mark.django_db

EXTERNAL = "grace@example.org"


def _last_pk() -> int:
    last = OutboxEmail.objects.order_by("-pk").first()
    return last.pk if last else 0


def _accept(learning_set, proposer, mine, partner, theirs) -> tuple[RotaSwap, Counter]:
    """Propose and accept a swap; the emails the acceptance wrote, per recipient."""
    swap = services.swap_propose(
        learning_set=learning_set,
        proposer=proposer,
        my_session=mine,
        partner=partner,
        their_session=theirs,
        now=NOW,
    )
    since = _last_pk()
    services.swap_decide(swap=swap, by=partner, accept=True, now=NOW)
    told = OutboxEmail.objects.filter(pk__gt=since)
    return swap, Counter(r.user_id or r.address for r in told)


def _into_the_facilitators_session(learning_set, sessions):
    """Session 6's presenter swaps with the member facilitating it: session 6 needs
    another facilitator (one session's facilitation moves)."""
    last = sessions[6]
    facilitator = User.objects.get(pk=last.facilitator_id)
    theirs = next(
        s for s in sessions.values() if s != last and s.presenters.filter(user=facilitator)
    )
    return _accept(learning_set, _presenter(last), last, facilitator, theirs)


def _both_facilitations_move(learning_set, sessions):
    """Session 1's presenter and session 2's swap, each facilitating the other's session:
    both sessions need another facilitator."""
    first, second = sessions[1], sessions[2]
    proposer, partner = _presenter(first), _presenter(second)
    Session.objects.filter(pk=first.pk).update(facilitator=partner)
    Session.objects.filter(pk=second.pk).update(facilitator=proposer)
    first.refresh_from_db()
    second.refresh_from_db()
    return _accept(learning_set, proposer, first, partner, second)


def _calendars(outbox: OutboxEmail) -> list:
    message = build_message(outbox)
    files = [a for a in message.attachments if a[0].endswith(".ics")]
    return [Calendar.from_ical(c if isinstance(c, bytes) else c.encode()) for _name, c, _t in files]


def _event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_an_accepted_swap_that_moves_no_facilitation_is_one_email_each():
    learning_set, users, sessions = _five()
    # Sessions 2 and 4: neither presenter facilitates the other's session.
    second, fourth = sessions[2], sessions[4]
    assert second.facilitator_id != _presenter(fourth).pk
    assert fourth.facilitator_id != _presenter(second).pk

    _swap, told = _accept(learning_set, _presenter(second), second, _presenter(fourth), fourth)

    assert told == Counter(dict.fromkeys(users, 1))


def test_an_accepted_swap_that_moves_a_facilitation_is_one_email_each():
    learning_set, users, sessions = _five()

    _swap, told = _into_the_facilitators_session(learning_set, sessions)

    # Before: the swap's notice and session 6's "Updated: ... now facilitates", 2 each.
    assert told == Counter(dict.fromkeys(users, 1))
    assert not rows(OutboxKind.SESSION_INVITE, key__endswith=":facilitator")


def test_a_swap_that_moves_both_sessions_facilitation_is_still_one_email_each():
    learning_set, users, sessions = _five()

    _swap, told = _both_facilitations_move(learning_set, sessions)

    # Before: the swap's notice and one update per session, 3 each.
    assert told == Counter(dict.fromkeys(users, 1))


def test_the_one_email_says_who_presents_and_facilitates_where_on_the_readers_day():
    learning_set, users, sessions = _five()
    first, second = sessions[1], sessions[2]
    far = next(u for u in users.values() if u not in {_presenter(first), _presenter(second)})
    far.profile.time_zone = "Pacific/Pago_Pago"
    far.profile.save()

    swap, _told = _both_facilitations_move(learning_set, sessions)

    (notice,) = rows(OutboxKind.SET_NOTICE, user=far, key__contains=":swap_made:")
    text = _text(notice)
    assert _day(first, far) != _day(first)  # a day earlier there
    proposer, partner = swap.proposer.profile.display_name, swap.partner.profile.display_name
    assert (
        f"{proposer} now presents at session 2 ({_day(second, far)}) and {partner} at "
        f"session 1 ({_day(first, far)})"
    ) in text
    for session in (first, second):
        session.refresh_from_db()
        newcomer = User.objects.get(pk=session.facilitator_id)
        who = (
            "You now facilitate"
            if newcomer == far
            else f"{newcomer.profile.display_name} now facilitates"
        )
        assert f"{who} session {session.number} ({_day(session, far)})" in text
    (told,) = rows(OutboxKind.SET_NOTICE, user=newcomer, key__contains=":swap_")
    assert build_message(told).subject.endswith(
        f"you now facilitate session 2 ({_day(second, newcomer)})"
    )


def test_the_one_email_carries_the_sessions_updated_calendar_file():
    learning_set, _users, sessions = _five()
    last = sessions[6]
    invitation = rows(OutboxKind.SESSION_INVITE, key__startswith=f"session_invite:{last.pk}:0:")[0]

    _into_the_facilitators_session(learning_set, sessions)

    last.refresh_from_db()
    assert last.sequence == 1
    told = OutboxEmail.objects.filter(key__contains=":swap_", user__isnull=False)
    assert told.count() == 6  # the request, then one to each of the five
    for notice in told.exclude(key__contains=":swap_proposed:"):
        (calendar,) = _calendars(notice)
        event = _event(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert (
            str(event["UID"]) == session_uid(last) == str(_event(_calendars(invitation)[0])["UID"])
        )
        assert int(event["SEQUENCE"]) == 1
        assert str(event["ATTENDEE"]) == f"mailto:{notice.user.email}"


def test_the_external_facilitator_gets_one_email_with_each_updated_calendar():
    learning_set, _users, sessions = _five()
    learning_set.facilitator_email, learning_set.facilitator_name = EXTERNAL, "Grace Lee"
    learning_set.save(update_fields=["facilitator_email", "facilitator_name"])

    swap, told = _both_facilitations_move(learning_set, sessions)

    # Before: one "Updated" session email per session, 2.
    assert told[EXTERNAL] == 1
    (notice,) = rows(OutboxKind.SET_NOTICE, address=EXTERNAL)
    text = _text(notice)
    assert "Hello Grace Lee" in text
    assert f"{swap.proposer.profile.display_name} now presents at session 2" in text
    assert "You facilitate session 1" in text and "You facilitate session 2" in text
    sequences = {int(_event(c)["SEQUENCE"]) for c in _calendars(notice)}
    assert sequences == {1}
    assert [str(_event(c)["UID"]) for c in _calendars(notice)] == [
        session_uid(sessions[1]),
        session_uid(sessions[2]),
    ]


def test_an_accepted_swaps_emails_written_again_are_not_sent_twice():
    learning_set, _users, sessions = _five()
    swap, _told = _into_the_facilitators_session(learning_set, sessions)
    last = Session.objects.select_related("learning_set").get(pk=sessions[6].pk)
    count = OutboxEmail.objects.count()
    from pairing.sets.notify import swap_news  # here: the module's other tests run without it

    swap_news(swap, [last])  # a retried transaction writes the same rows

    assert OutboxEmail.objects.count() == count
