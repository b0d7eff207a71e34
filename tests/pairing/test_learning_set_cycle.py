"""A whole cycle of a learning set through the services: forming, six sessions, a swap,
a moved and a cancelled session, a member leaving; emails once per member per change,
a balanced rota in which everyone presents."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from members.models import User
from pairing import rounds
from pairing.models import OutboxKind, Round
from pairing.outbox import build_message, outbox_send_pending
from pairing.sets import services
from pairing.sets.calendar import session_uid
from pairing.sets.models import Presenter, SessionStatus, SetLeaver
from pairing.sets.schedule import sets_tick
from pairing.sets.selectors import cycle_running, set_host_id, set_member_ids
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme, rows

pytestmark = pytest.mark.django_db


def _turns(learning_set, held_only_before=None):
    query = Presenter.objects.filter(
        session__learning_set=learning_set, session__status=SessionStatus.SCHEDULED
    )
    if held_only_before:
        query = query.filter(session__starts_at__lte=held_only_before)
    return Counter(query.values_list("user_id", flat=True))


def _presenters(session):
    return set(session.presenters.values_list("user_id", flat=True))


def test_forming_gives_each_set_six_sessions_a_rota_and_one_invite_per_session_each():
    programme = learning_set_programme()
    join(programme, 10)

    cycle, sets = form_cycle(programme)

    assert len(sets) == 2
    # Both sets said Tuesday morning and share the cycle's venue: the second takes the
    # afternoon of the same Tuesdays rather than the same room at the same time.
    for learning_set, start in zip(sets, (dt.time(9, 30), dt.time(13, 30)), strict=True):
        sessions = list(learning_set.sessions.order_by("number"))
        assert len(sessions) == 6
        days = [timezone.localtime(s.starts_at).date() for s in sessions]
        assert {b - a for a, b in itertools.pairwise(days)} == {dt.timedelta(weeks=8)}
        # Wall-clock time stays put across the clocks changing.
        assert {timezone.localtime(s.starts_at).time() for s in sessions} == {start}
        assert sessions[0].starts_at.date() >= cycle.first_session_on
        # Everyone said Tuesday morning: the series is on Tuesdays at 9:30 London time.
        assert {s.starts_at.weekday() for s in sessions} == {1}
        assert all(s.ends_at - s.starts_at == dt.timedelta(hours=3) for s in sessions)
        members = set_member_ids(learning_set)
        assert set(_turns(learning_set)) == set(members)  # everyone presents
        assert len({s.uid for s in sessions}) == 6
    invites = rows(OutboxKind.SESSION_INVITE)
    assert len(invites) == 10 * 6
    assert len({(r.user_id, r.key.split(":")[1]) for r in invites}) == 60
    programme.refresh_from_db()
    assert programme.next_round_on > sessions[-1].starts_at.date()


def test_a_whole_cycle_with_a_swap_a_move_a_cancel_and_a_leave():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    members = set_member_ids(learning_set)
    host = User.objects.get(pk=set_host_id(learning_set))
    sessions = list(learning_set.sessions.order_by("number"))
    assert sorted(_turns(learning_set).values()) == [1, 1, 1, 1, 2]  # 6 turns for 5

    # A swap: the first presenter gives session 1 for the second presenter's session 2.
    (a,), (b,) = _presenters(sessions[0]), _presenters(sessions[1])
    users = User.objects.in_bulk(members)
    swap = services.swap_propose(
        learning_set=learning_set,
        proposer=users[a],
        my_session=sessions[0],
        partner=users[b],
        their_session=sessions[1],
        now=NOW,
    )
    assert _presenters(sessions[0]) == {a}  # nothing changes until B agrees
    services.swap_decide(swap=swap, by=users[b], accept=True, now=NOW)
    assert (_presenters(sessions[0]), _presenters(sessions[1])) == ({b}, {a})

    # The host moves session 3 twice: one updated invitation per member per move.
    third = sessions[2]
    for days in (1, 2):
        services.session_move(
            session=third, by=host, starts_at=third.starts_at + dt.timedelta(days=days), now=NOW
        )
        third.refresh_from_db()
    updates = [
        r
        for r in rows(OutboxKind.SESSION_INVITE)
        if r.key.startswith(f"session_invite:{third.pk}:")
    ]
    assert Counter(r.key.split(":")[2] for r in updates) == {"0": 5, "1": 5, "2": 5}
    assert third.sequence == 2

    # The host cancels session 4: one cancellation each; its presenter keeps a turn.
    fourth = sessions[3]
    lost = _presenters(fourth)
    services.session_cancel(session=fourth, by=host, now=NOW)
    assert len(rows(OutboxKind.SESSION_CANCEL)) == 5
    assert all(_turns(learning_set)[m] >= 1 for m in lost)

    # Time passes: a reminder before, a check-in after each session held.
    clock = NOW
    leaver = None
    while clock < sessions[-1].ends_at + dt.timedelta(days=1):
        clock += dt.timedelta(days=1)
        sets_tick(now=clock)
        sets_tick(now=clock)  # a second tick at the same moment queues nothing more
        if leaver is None and clock > sessions[1].ends_at:
            leaver = next(m for m in members if m != host.pk)
            services.set_leave(learning_set=learning_set, user=users[leaver], now=clock)
            left_at = clock

    held = learning_set.sessions.filter(status=SessionStatus.SCHEDULED)
    reminders = Counter((r.key.split(":")[1], r.user_id) for r in rows(OutboxKind.SESSION_REMINDER))
    checkins = Counter((r.key.split(":")[1], r.user_id) for r in rows(OutboxKind.SESSION_CHECKIN))
    assert set(reminders.values()) == set(checkins.values()) == {1}
    for session in held:
        expected = set(members) if session.starts_at < left_at else set(members) - {leaver}
        assert {u for (s, u) in reminders if s == str(session.pk)} == expected
        assert {u for (s, u) in checkins if s == str(session.pk)} == expected
    assert not any(s == str(fourth.pk) for s, _u in reminders)

    # The leaver is out of the future sessions only; the set and the rota go on.
    assert SetLeaver.objects.filter(learning_set=learning_set, user_id=leaver).exists()
    assert set_member_ids(learning_set) == [m for m in members if m != leaver]
    leaver_rows = [r for r in rows(OutboxKind.SESSION_CANCEL) if r.user_id == leaver]
    leaver_cancels = [name for r in leaver_rows for name, *_ in build_message(r).attachments]
    # Session 4 (cancelled for all), then 3, 5 and 6 (still to come when they left) in one
    # email, a calendar file for each.
    assert len(leaver_rows) == 2
    assert sorted(leaver_cancels) == [f"learning-set-session-{n}.ics" for n in (3, 4, 5, 6)]
    assert len(rows(OutboxKind.SET_NOTICE, user__isnull=True)) == 1  # to the organisers
    turns = _turns(learning_set)
    assert all(turns[m] >= 1 for m in set_member_ids(learning_set))  # everyone presents
    future_turns = _turns(learning_set) - _turns(learning_set, held_only_before=left_at)
    assert leaver not in future_turns

    # Every email renders and goes out once.
    outbox_send_pending(now=clock)
    outbox_send_pending(now=clock)
    ids = Counter(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert set(ids.values()) == {1}


def test_no_round_reshuffles_the_sets_while_the_cycle_runs():
    programme = learning_set_programme()
    join(programme, 10)
    form_cycle(programme)
    programme.next_round_on = (NOW + dt.timedelta(weeks=10)).date()
    programme.save()

    day = dt.datetime.combine(programme.next_round_on, dt.time(9), tzinfo=dt.UTC)
    rounds.rounds_tick(now=day)

    assert Round.objects.filter(programme=programme).count() == 1
    assert cycle_running(programme=programme, today=day.date())


def test_the_next_cycle_forms_new_sets_avoiding_co_members():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, first = form_cycle(programme, sessions=2, interval_weeks=1)
    before = [set(set_member_ids(s)) for s in first]

    later = NOW + dt.timedelta(weeks=8)
    _cycle, second = form_cycle(programme, now=later)

    after = [set(set_member_ids(s)) for s in second]
    overlap = max(len(a & b) for a in before for b in after)
    assert overlap <= 3  # 10 people, sets of 5: at most 3 can meet again
    assert overlap < 5


def test_an_organiser_cannot_run_a_round_while_the_cycle_runs():
    programme = learning_set_programme()
    join(programme, 10)
    form_cycle(programme)
    pairing_round = rounds.round_plan(
        programme=programme, scheduled_for=NOW.date() + dt.timedelta(days=30)
    )

    with pytest.raises(rounds.RoundError):
        rounds.round_run(pairing_round=pairing_round, now=NOW + dt.timedelta(days=30))

    pairing_round.refresh_from_db()
    assert pairing_round.status == "failed"
    assert "still meeting" in pairing_round.error
    assert not pairing_round.matches.exists()


def test_a_deleted_account_leaves_no_session_without_a_presenter():
    from members.services import member_delete

    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    presenter = learning_set.sessions.get(number=2).presenters.get().user

    member_delete(user=presenter)
    sets_tick(now=NOW)

    for session in learning_set.sessions.all():
        assert session.presenters.exists()
    assert set(_turns(learning_set)) == set(set_member_ids(learning_set))


def _facilitation_is_free(learning_set):
    members = set(set_member_ids(learning_set))
    for session in learning_set.sessions.filter(status=SessionStatus.SCHEDULED):
        if session.starts_at <= NOW:
            continue
        assert session.facilitator_id in members, session.number
        assert session.facilitator_id not in _presenters(session), session.number


def test_a_swap_never_leaves_a_member_facilitating_the_session_they_now_present():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    sessions = list(learning_set.sessions.order_by("number"))
    # A session whose facilitator presents in another session: swapping that turn into it
    # would make them present and facilitate the same session.
    target, theirs = next(
        (s, other)
        for s in sessions
        for other in sessions
        if other != s and s.facilitator_id in _presenters(other)
    )
    giver = next(u for u in _presenters(target) if u not in _presenters(theirs))
    facilitator = User.objects.get(pk=target.facilitator_id)
    assert facilitator.pk not in _presenters(target)  # the forming rule
    swap = services.swap_propose(
        learning_set=learning_set, proposer=User.objects.get(pk=giver), my_session=target,
        partner=facilitator, their_session=theirs, now=NOW,
    )  # fmt: skip

    services.swap_decide(swap=swap, by=facilitator, accept=True, now=NOW)

    assert facilitator.pk in _presenters(target)
    _facilitation_is_free(learning_set)
    # Everyone's calendar gets the session again, in the swap's own email (one each).
    target.refresh_from_db()
    assert target.sequence > 0
    notices = [
        r
        for r in rows(OutboxKind.SET_NOTICE, key__contains=":swap_")
        if ":swap_proposed:" not in r.key  # the request, before the swap was made
    ]
    assert sorted(r.user_id for r in notices) == sorted(set_member_ids(learning_set))
    for notice in notices:
        attached = [a for a in build_message(notice).attachments if a[0].endswith(".ics")]
        sequences = [
            int(event["SEQUENCE"])
            for _name, content, _type in attached
            for event in Calendar.from_ical(content).walk("VEVENT")
            if str(event["UID"]) == session_uid(target)
        ]
        assert sequences == [target.sequence]


def test_a_facilitator_who_leaves_is_replaced_in_the_sessions_they_were_to_facilitate():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    leaver = User.objects.get(pk=learning_set.sessions.order_by("number").last().facilitator_id)

    services.set_leave(learning_set=learning_set, user=leaver, now=NOW)

    _facilitation_is_free(learning_set)
