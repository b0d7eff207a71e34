"""What members are told when a set's rota or sessions change (a browser walk-through):
a swap request names the dates, a new facilitator is not called a move, everyone hears
of a swap of turns, and the organisers' page counts moves apart from other updates."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message, outbox_queue
from pairing.sets import services
from pairing.sets.notify import member_notices
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme, rows
from tests.pairing.test_learning_set_merge_rules import shrink
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db


def _text(outbox) -> str:
    message = build_message(outbox)
    return message.subject + "\n" + message.body + "\n" + message.alternatives[0][0]


def _five():
    """A set of five with rotating facilitation: member i presents at session i + 1, the
    first member at session 6 too."""
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    users = User.objects.in_bulk(set_member_ids(learning_set))
    sessions = {s.number: s for s in learning_set.sessions.all()}
    return learning_set, users, sessions


def _day(session, user: User | None = None) -> str:
    """The session's day as members read it (in their own time zone)."""
    zone = zoneinfo.ZoneInfo(user.profile.time_zone if user else "Europe/London")
    local = timezone.localtime(session.starts_at, zone)
    return f"{local:%A} {local.day} {local:%B %Y}"


def _presenter(session) -> User:
    return session.presenters.get().user


def test_a_swap_request_names_the_dates_of_both_turns():
    learning_set, _users, sessions = _five()
    proposer, partner = _presenter(sessions[6]), _presenter(sessions[3])

    swap = services.swap_propose(
        learning_set=learning_set,
        proposer=proposer,
        my_session=sessions[6],
        partner=partner,
        their_session=sessions[3],
        now=NOW,
    )

    (request,) = rows(OutboxKind.SET_NOTICE, user=partner)
    text = _text(request)
    assert (
        f"you would present at session 6 ({_day(sessions[6])}) instead of session 3 "
        f"({_day(sessions[3])})" in text
    )
    page = client_for(partner).get(reverse("pairing:set_detail", args=[learning_set.pk]))
    assert f"session 6 ({_day(sessions[6])})" in page.content.decode()
    services.swap_decide(swap=swap, by=partner, accept=True, now=NOW)
    accepted = rows(OutboxKind.SET_NOTICE, user=proposer, key__contains="swap_accepted")
    assert (
        f"you now present at session 3 ({_day(sessions[3])}) instead of session 6 "
        f"({_day(sessions[6])})" in _text(accepted[0])
    )


def _swap_into_the_facilitators_session(learning_set, sessions):
    """Session 6's presenter gives it to the member facilitating it, for that member's
    own turn (as member01 and Dev did): session 6 then needs another facilitator."""
    last = sessions[6]
    facilitator = User.objects.get(pk=last.facilitator_id)
    theirs = next(s for s in sessions.values() if _presents(s, facilitator) and s != last)
    proposer = _presenter(last)
    swap = services.swap_propose(
        learning_set=learning_set,
        proposer=proposer,
        my_session=last,
        partner=facilitator,
        their_session=theirs,
        now=NOW,
    )
    services.swap_decide(swap=swap, by=facilitator, accept=True, now=NOW)
    last.refresh_from_db()
    return proposer, facilitator, theirs, last


def _presents(session, user) -> bool:
    return session.presenters.filter(user=user).exists()


def _updates(session) -> list:
    return rows(
        OutboxKind.SESSION_INVITE,
        key__startswith=f"session_invite:{session.pk}:{session.sequence}:",
    )


def test_a_new_facilitator_after_a_swap_is_said_in_the_swap_email_not_a_move():
    learning_set, users, sessions = _five()
    *_, last = _swap_into_the_facilitators_session(learning_set, sessions)
    newcomer = User.objects.get(pk=last.facilitator_id)
    name = newcomer.profile.display_name

    # No separate "Updated: ... now facilitates" email: the swap's own email says it.
    assert _updates(last) == []
    notices = [
        r
        for r in rows(OutboxKind.SET_NOTICE, key__contains=":swap_")
        if ":swap_proposed:" not in r.key  # the request, before the swap was made
    ]
    assert {r.user_id for r in notices} == set(users)  # one each, member01 too
    for notice in notices:
        text = _text(notice)
        assert "Moved" not in text and "has moved" not in text
        who = "You now facilitate" if notice.user_id == newcomer.pk else f"{name} now facilitates"
        assert f"{who} session 6" in text


def test_everyone_in_the_set_hears_who_now_presents_where_after_a_swap():
    learning_set, users, sessions = _five()
    proposer, accepter, theirs, last = _swap_into_the_facilitators_session(learning_set, sessions)
    notices = {r.user_id: _text(r) for r in rows(OutboxKind.SET_NOTICE, key__contains=":swap_")}

    # The proposer: accepted; the member who accepted: a record; the others: the news.
    assert set(notices) == set(users)
    assert "accepted your swap" in notices[proposer.pk]
    assert f"You accepted {proposer.profile.display_name}'s swap" in notices[accepter.pk]
    bystander = next(u for u in users if u not in {proposer.pk, accepter.pk})
    news = notices[bystander]
    assert (
        f"{proposer.profile.display_name} now presents at session {theirs.number} "
        f"({_day(theirs)}) and {accepter.profile.display_name} at session 6 ({_day(last)})"
    ) in news
    assert "Your turns to present are unchanged" in news


def test_only_a_change_of_time_is_called_a_move():
    learning_set, _users, sessions = _five()
    host = User.objects.get(pk=learning_set.match.host_id)
    second = sessions[2]

    services.session_move(
        session=second, by=host, starts_at=second.starts_at + dt.timedelta(days=1), now=NOW
    )
    second.refresh_from_db()

    for update in _updates(second):
        subject = build_message(update).subject
        assert subject.startswith("Moved: ") and "session 2 now on" in subject
        assert "has moved" in _text(update)


def test_a_leaver_who_facilitated_sends_no_moved_email():
    learning_set, _users, sessions = _five()
    leaver = User.objects.get(pk=sessions[6].facilitator_id)

    services.set_leave(learning_set=learning_set, user=leaver, now=NOW)

    updates = rows(OutboxKind.SESSION_INVITE, key__endswith=":facilitator")
    assert updates
    assert not [u for u in updates if "Moved" in _text(u)]
    assert all(build_message(u).subject.startswith("Updated: ") for u in updates)


def test_the_organisers_page_counts_moves_apart_from_new_facilitators(admin_client):
    learning_set, _users, sessions = _five()
    _swap_into_the_facilitators_session(learning_set, sessions)
    host = User.objects.get(pk=learning_set.match.host_id)
    second = sessions[2]
    services.session_move(
        session=second, by=host, starts_at=second.starts_at + dt.timedelta(days=1), now=NOW
    )

    page = admin_client.get(reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id]))
    text = page.content.decode()

    assert "Scheduled; facilitator changed once" in text
    assert "Scheduled; moved once" in text
    assert "\N{MULTIPLICATION SIGN}" not in text and "new facilitator" not in text
    assert "calendars updated" not in text


def test_a_member_who_takes_over_a_leavers_turn_is_told_and_nobody_else():
    learning_set, _users, sessions = _five()
    third = sessions[3]
    leaver = _presenter(third)  # their only turn: session 3 is left with no presenter

    services.set_leave(learning_set=learning_set, user=leaver, now=NOW)

    third.refresh_from_db()
    (taker,) = [p.user for p in third.presenters.all()]
    notices = rows(OutboxKind.SET_NOTICE, key__contains=":turns_")
    assert [n.user_id for n in notices] == [taker.pk]
    text = _text(notices[0])
    assert "changed after a member left the set" in text
    assert f"session 3 ({_day(third)})" in text.split("You now bring an issue at")[1]


def test_members_merged_in_are_told_their_turns_in_the_new_set():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (mine, theirs) = form_cycle(programme)
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    shrink(mine, 2)  # a merge stays within the 7 a set can have
    movers = set_member_ids(mine)

    services.set_merge(learning_set=mine, into=theirs, by=organiser, now=NOW)

    # One email each, saying the set they joined (not "the rota changed": their sessions did).
    told = {n.user_id: _text(n) for n in rows(OutboxKind.SET_NOTICE, user__in=movers)}
    assert sorted(told) == sorted(movers)
    assert f"you have joined set {theirs.number}" in told[movers[0]]
    assert "You bring an issue at session" in told[movers[0]]
    assert not rows(OutboxKind.SET_NOTICE, key__contains=":turns_", user__in=movers)


def test_each_change_of_a_members_turns_is_a_new_email_not_a_duplicate():
    learning_set, users, _sessions = _five()
    member = next(iter(users))

    member_notices(learning_set, "turns_left", [member])
    member_notices(learning_set, "turns_left", [member])

    assert len(rows(OutboxKind.SET_NOTICE, user_id=member, key__contains=":turns_left:")) == 2


class _Undo(Exception):
    """Rolls a change back: what another transaction, not yet committed, would write."""


def _notice_keys(learning_set, change) -> dict[int, set[str]]:
    """The notices to members that `change` writes, by member, without keeping them."""
    try:
        with transaction.atomic():
            before = set(OutboxEmail.objects.values_list("pk", flat=True))
            change()
            keys: dict[int, set[str]] = {}
            for row in rows(OutboxKind.SET_NOTICE, user__isnull=False):
                if row.pk not in before:
                    keys.setdefault(row.user_id, set()).add(row.key)
            raise _Undo
    except _Undo:
        return keys


def test_two_members_leaving_at_once_are_two_notices_and_the_same_leave_is_never_two():
    learning_set, users, _sessions = _five()

    def leave(user_id):
        return lambda: services.set_leave(learning_set=learning_set, user=users[user_id], now=NOW)

    # Two leavers whose leaving both changes another member's turns (every leave also
    # tells the others who left: only a turns notice shows that the turns changed).
    seen = {u: _notice_keys(learning_set, leave(u)) for u in users}

    def turns(a, m):
        return any(":turns_left:" in key for key in seen[a].get(m, ()))

    first, second, told = next(
        (a, b, m) for a in users for b in users if a != b for m in set(seen[a]) & set(seen[b])
        if m not in (a, b) and turns(a, m) and turns(b, m)
    )  # fmt: skip

    # Each computes its notices while the other has not committed yet: two emails.
    assert seen[first][told].isdisjoint(seen[second][told])
    # The same leave run again (a retry) writes the same keys: never a second email.
    assert _notice_keys(learning_set, leave(first)) == seen[first]
    leave(second)()
    # The first commits after the second: its notice to the same member is not dropped.
    late = [
        OutboxEmail(key=key, kind=OutboxKind.SET_NOTICE, match_id=learning_set.match_id,
                    user_id=told)
        for key in seen[first][told]
    ]  # fmt: skip
    assert outbox_queue(late)
    keys = [r.key for r in rows(OutboxKind.SET_NOTICE, user_id=told)]
    # Each leave: the turns that changed, and who left (the others are told by name).
    assert sum(":turns_left:" in k for k in keys) == 2
    assert sum(":member_left:" in k for k in keys) == 2 and len(keys) == 4


def _when(starts_at, user: User) -> str:
    zone = zoneinfo.ZoneInfo(user.profile.time_zone)
    local = timezone.localtime(starts_at, zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def test_a_moved_session_says_the_old_and_new_time_who_presents_and_you():
    learning_set, users, sessions = _five()
    host = User.objects.get(pk=learning_set.match.host_id)
    second = sessions[2]
    before = second.starts_at
    presenter = _presenter(second)

    services.session_move(session=second, by=host, starts_at=before + dt.timedelta(days=1), now=NOW)
    second.refresh_from_db()

    updates = {u.user_id: _text(u) for u in _updates(second)}
    facilitator = users[second.facilitator_id]
    text = updates[facilitator.pk]
    assert "FACILITATION\nYou." in text
    assert f"from {_when(before, facilitator)}" in text
    assert f"to {_when(second.starts_at, facilitator)}" in text
    assert f"Before: {_when(before, facilitator)}" in text
    assert "WHO PRESENTS" in text
    assert presenter.profile.display_name in text.split("WHO PRESENTS")[1]
    assert "WHO PRESENTS\nYou." in updates[presenter.pk]


def test_the_organisers_page_says_twice_in_words(admin_client):
    learning_set, _users, sessions = _five()
    host = User.objects.get(pk=learning_set.match.host_id)
    second = sessions[2]
    for _ in (1, 2):
        services.session_move(
            session=second, by=host, starts_at=second.starts_at + dt.timedelta(days=1), now=NOW
        )
        second.refresh_from_db()

    page = admin_client.get(reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id]))

    assert "Scheduled; moved twice" in page.content.decode()
