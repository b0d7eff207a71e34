"""What the learning-set emails say: the introduction (sessions, not "30 minutes" or "skip
the next round"), the reminder (ground rules, who presents), the check-in link, and the
organisers' notice when a member leaves a set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from members.models import User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.schedule import sets_tick
from pairing.sets.selectors import set_host_id, set_member_ids, set_members
from tests.factories import UserFactory
from tests.pairing.set_helpers import NOW, RULES, form_cycle, join, learning_set_programme, rows

pytestmark = pytest.mark.django_db


def _text(outbox) -> str:
    message = build_message(outbox)
    return message.subject + "\n" + message.body + "\n" + message.alternatives[0][0]


def test_the_introduction_of_a_set_lists_its_sessions_not_a_30_minute_chat():
    programme = learning_set_programme()
    join(programme, 5)
    form_cycle(programme)

    (intro,) = rows(OutboxKind.INTRO)
    message = build_message(intro)
    text = _text(intro)

    assert "30 minutes" not in text and "30-minute" not in text
    assert "skip the next round" not in text.lower()
    assert "Session 1:" in text and "Session 6:" in text
    assert "one calendar invitation per session" in text
    assert not [a for a in message.attachments if a[0].endswith(".ics")]


def _first_session_of_five():
    """A set of five formed: the set, its first session and that session's presenter."""
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    first = learning_set.sessions.get(number=1)
    presenter = first.presenters.get().user
    return learning_set, first, presenter


def test_the_reminder_three_days_before_has_the_ground_rules_and_who_presents():
    _learning_set, first, presenter = _first_session_of_five()

    sets_tick(now=first.starts_at - dt.timedelta(days=4))
    assert not rows(OutboxKind.SESSION_REMINDER)
    sets_tick(now=first.starts_at - dt.timedelta(days=2, hours=23))

    reminders = rows(OutboxKind.SESSION_REMINDER)
    assert len(reminders) == 5
    mine = next(r for r in reminders if r.user_id == presenter.pk)
    other = next(r for r in reminders if r.user_id != presenter.pk)
    assert RULES in _text(mine)
    assert "You are bringing an issue this time." in _text(mine)
    # Not the reader's own name beside "You" (walk 32).
    assert f"({presenter.profile.display_name})" not in _text(mine)
    assert f"{presenter.profile.display_name} will bring an issue" in _text(other)


def test_a_presenter_reads_of_whoever_presents_with_them():
    from pairing.sets.models import Presenter

    learning_set, first, presenter = _first_session_of_five()
    second = next(u for u in set_members(learning_set) if u != presenter)
    Presenter.objects.create(session=first, user=second)

    sets_tick(now=first.starts_at - dt.timedelta(days=2, hours=23))

    mine = rows(OutboxKind.SESSION_REMINDER, user=presenter)[0]
    assert f"You and {second.profile.display_name} are bringing an issue this time." in _text(mine)
    assert f"({presenter.profile.display_name})" not in _text(mine)


def test_the_check_in_email_links_to_the_check_in_page():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    first = learning_set.sessions.get(number=1)

    sets_tick(now=first.ends_at + dt.timedelta(hours=1))

    checkins = rows(OutboxKind.SESSION_CHECKIN)
    assert len(checkins) == 5
    assert f"/programmes/sessions/{first.pk}/check-in/" in _text(checkins[0])


def test_organisers_are_told_when_a_member_leaves_and_the_set_is_small():
    programme = learning_set_programme()
    organiser = UserFactory(email="olive@example.org", is_staff=True)
    programme.organisers.add(organiser)
    join(programme, 4)
    _cycle, (learning_set,) = form_cycle(programme)
    leaver = User.objects.get(pk=set_member_ids(learning_set)[0])

    services.set_leave(learning_set=learning_set, user=leaver, now=NOW)

    # One to the organisers (members who took over a turn are told apart, to themselves).
    (notice,) = rows(OutboxKind.SET_NOTICE, user__isnull=True)
    message = build_message(notice)
    assert "olive@example.org" in message.to
    assert leaver.email not in message.to
    assert "below the minimum of 4" in message.body
    assert leaver.profile.display_name in message.body


def test_no_learning_set_email_carries_an_empty_link():
    from pairing.models import OutboxEmail

    programme = learning_set_programme()
    programme.organisers.add(UserFactory(email="olive@example.org", is_staff=True))
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    members = [User.objects.get(pk=pk) for pk in set_member_ids(learning_set)]
    sessions = list(learning_set.sessions.order_by("number"))
    giver = next(m for m in members if sessions[-1].presenters.filter(user=m).exists())
    taker = next(
        m for m in members
        if sessions[-2].presenters.filter(user=m).exists()
        and not sessions[-1].presenters.filter(user=m).exists()
        and not sessions[-2].presenters.filter(user=giver).exists()
    )  # fmt: skip
    swap = services.swap_propose(
        learning_set=learning_set, proposer=giver, my_session=sessions[-1], partner=taker,
        their_session=sessions[-2], now=NOW,
    )  # fmt: skip
    services.swap_decide(swap=swap, by=taker, accept=True, now=NOW)
    services.set_leave(learning_set=learning_set, user=members[0], now=NOW)

    kinds = set()
    for outbox in OutboxEmail.objects.all():
        html = build_message(outbox).alternatives[0][0]
        kinds.add(outbox.kind)
        assert 'href=""' not in html, outbox.kind
    assert {OutboxKind.INTRO, OutboxKind.SET_NOTICE, OutboxKind.SESSION_INVITE} <= kinds


def test_a_new_external_facilitators_address_gets_its_own_invitations():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    sent = []
    for email in ("first@example.org", "second@example.org"):
        services.set_facilitator_update(
            learning_set=learning_set, by=organiser, member=None, email=email,
            name="Fran", now=timezone.now(),
        )  # fmt: skip
        # Each address's invitations, as the outbox sends them before the next change.
        new = rows(OutboxKind.SESSION_INVITE, user__isnull=True, sent_at__isnull=True)
        sent.append([build_message(r).to for r in new])
        OutboxEmail.objects.filter(pk__in=[r.pk for r in new]).update(sent_at=timezone.now())

    assert sent == [[["first@example.org"]] * 6, [["second@example.org"]] * 6]


def test_an_external_facilitator_replaced_gets_one_email_removing_every_session_to_come():
    from icalendar import Calendar

    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    member = User.objects.get(pk=set_member_ids(learning_set)[0])

    def name(**change: object) -> None:
        services.set_facilitator_update(
            learning_set=learning_set, by=organiser, now=timezone.now(), **change
        )

    name(member=None, email="fran@example.org", name="Fran Okoro")
    invitations = rows(OutboxKind.SESSION_INVITE, address="fran@example.org")
    name(member=member, email="", name="")

    (released,) = rows(OutboxKind.SESSION_CANCEL, user__isnull=True)
    message = build_message(released)
    assert message.to == ["fran@example.org"]
    assert message.subject.startswith("No longer facilitating:")
    assert "you no longer facilitate it" in message.body
    assert "Its 6 sessions still to come go ahead without you" in message.body
    # Each calendar file cancels the very event the invitation put in their calendar.
    cancelled = [
        Calendar.from_ical(a[1]).walk("VEVENT")[0]
        for a in message.attachments
        if a[0].endswith(".ics")
    ]
    invited = [
        Calendar.from_ical(a[1]).walk("VEVENT")[0]
        for r in invitations
        for a in build_message(r).attachments
    ]
    assert [str(e["UID"]) for e in cancelled] == [str(e["UID"]) for e in invited]
    assert {str(Calendar.from_ical(a[1])["METHOD"]) for a in message.attachments} == {"CANCEL"}
    # A pending invitation to Fran still goes to Fran, not to whoever came after.
    name(member=None, email="sam@example.org", name="Sam Reid")
    assert {build_message(r).to[0] for r in invitations} == {"fran@example.org"}


def test_an_external_facilitator_named_again_and_replaced_again_is_told_again():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    for email in ("fran@example.org", "", "fran@example.org", ""):
        services.set_facilitator_update(
            learning_set=learning_set, by=organiser, member=None, email=email, name="Fran",
            now=timezone.now() + dt.timedelta(seconds=len(rows(OutboxKind.SESSION_CANCEL))),
        )  # fmt: skip

    assert [build_message(r).to for r in rows(OutboxKind.SESSION_CANCEL)] == [
        ["fran@example.org"]
    ] * 2


def test_a_programme_named_learning_set_is_not_said_twice():
    """Walk 28: "your Walk28 learning set learning set (set 2)". The programme's name
    comes after the set, whatever it says."""
    programme = learning_set_programme(name="Health learning sets")
    members = join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    first = learning_set.sessions.get(number=1)
    sets_tick(now=first.starts_at - dt.timedelta(days=2, hours=23))

    invite = rows(OutboxKind.SESSION_INVITE, user=members[0])[0]
    reminder = rows(OutboxKind.SESSION_REMINDER, user=members[0])[0]

    assert "of your learning set (set 1) in Health learning sets." in _text(invite)
    assert "Session 1 of your set in Health learning sets is coming up" in _text(reminder)
    for outbox in (invite, reminder):
        assert "learning sets learning set" not in _text(outbox)


def test_this_sessions_facilitator_reads_that_they_facilitate():
    """Walk 33: the member facilitating read their own name under FACILITATION."""
    from pairing.sets.models import Session

    learning_set, first, _presenter = _first_session_of_five()
    me, other = set_members(learning_set)[:2]
    Session.objects.filter(pk=first.pk).update(facilitator=me)

    sets_tick(now=first.starts_at - dt.timedelta(days=2, hours=23))

    mine = _text(rows(OutboxKind.SESSION_REMINDER, user=me)[0])
    theirs = _text(rows(OutboxKind.SESSION_REMINDER, user=other)[0])
    assert "FACILITATION\nYou facilitate." in mine
    assert f"FACILITATION\n{me.profile.display_name}." in theirs


def test_the_others_in_the_set_are_told_who_left():
    # Walk 44: only the organisers and the leaver were told; the others expected Sam at
    # the next session.
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    host = set_host_id(learning_set)
    leaver = User.objects.get(pk=next(m for m in set_member_ids(learning_set) if m != host))

    services.set_leave(learning_set=learning_set, user=leaver, now=NOW)

    told = [r for r in rows(OutboxKind.SET_NOTICE) if ":member_left:" in r.key]
    assert sorted(r.user_id for r in told) == sorted(set_member_ids(learning_set))
    message = build_message(told[0])
    name = leaver.profile.display_name
    assert message.subject == f"{programme.name}: {name} has left set 1"
    assert (
        f"{name} has left set 1 of {programme.name} and will not be at its sessions still to come."
    ) in message.body
    assert "The set carries on with the 4 of you" in message.body
    assert leaver.email not in [address for r in told for address in build_message(r).to]
