"""Deleting an account mid-cycle does what leaving the set does first (turns and
facilitation passed on, the set and the organisers told), keeps the check-ins' choices
without a name, and leaves no hole in the set's history or its members' lists."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from members.services import member_delete
from pairing.models import OutboxKind
from pairing.outbox import build_message
from pairing.selectors import matches_for_member
from pairing.sets.models import SessionCheckIn, SessionStatus
from pairing.sets.page import set_page
from pairing.sets.schedule import sets_tick
from pairing.sets.selectors import set_host_id, set_member_ids
from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme, rows

pytestmark = pytest.mark.django_db


def _set(held: int = 2):
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    hold_sessions(learning_set, held)
    users = User.objects.in_bulk(set_member_ids(learning_set))
    return learning_set, [users[m] for m in set_member_ids(learning_set)]


def _future(learning_set):
    return [
        s
        for s in learning_set.sessions.filter(status=SessionStatus.SCHEDULED)
        if s.starts_at > timezone.now()
    ]


def _presenting_later(learning_set, members):
    host = set_host_id(learning_set)
    return next(
        m
        for m in members
        if m.pk != host and any(s.presenters.filter(user=m).exists() for s in _future(learning_set))
    )


def test_deleting_an_account_mid_cycle_passes_its_turns_and_facilitation_on():
    learning_set, members = _set()
    gone = _presenting_later(learning_set, members)

    member_delete(user=gone)

    left = set(set_member_ids(learning_set))
    assert len(left) == 4
    for session in _future(learning_set):
        presenters = set(session.presenters.values_list("user_id", flat=True))
        assert presenters and presenters <= left, session.number
        assert session.facilitator_id in left, session.number


def test_the_organisers_and_the_members_given_a_turn_are_told_of_a_deleted_account():
    learning_set, members = _set()
    gone = _presenting_later(learning_set, members)

    member_delete(user=gone)

    (organisers,) = rows(OutboxKind.SET_NOTICE, key__contains=":left:")
    message = build_message(organisers)
    assert f"A former member has left set {learning_set.number}" in message.body
    assert "carries on with 4 members" in message.body
    told = rows(OutboxKind.SET_NOTICE, key__contains=":turns_left:")
    assert told and {n.user_id for n in told} <= set(set_member_ids(learning_set))


def test_the_member_who_now_looks_after_the_dates_reads_that_a_former_member_left():
    learning_set, _members = _set()
    host = User.objects.get(pk=set_host_id(learning_set))

    member_delete(user=host)

    (notice,) = rows(OutboxKind.SET_NOTICE, key__contains=":host_left:")
    assert "A former member left the set" in build_message(notice).body


def test_a_session_held_keeps_a_former_member_as_its_facilitator():
    learning_set, members = _set()
    first = learning_set.sessions.get(number=1)
    facilitator = User.objects.get(pk=first.facilitator_id)
    viewer = next(m for m in members if m != facilitator)

    member_delete(user=facilitator)

    page = set_page(learning_set=learning_set, user=viewer, now=timezone.now())
    (row,) = [r for r in page["rows"] if r["session"].number == 1]
    assert row["facilitator"] == "A former member"


def test_the_set_s_other_members_no_longer_list_a_deleted_member():
    learning_set, members = _set()
    gone, viewer = members[1], members[2]

    member_delete(user=gone)

    (match,) = [m for m in matches_for_member(user=viewer) if m.pk == learning_set.match_id]
    names = [p.display_name for p in match.partners]
    assert len(names) == 3
    assert "A former member" not in names


def test_check_in_choices_stay_without_a_name_and_the_reflection_goes():
    learning_set, members = _set()
    session = learning_set.sessions.get(number=1)
    for member in members:
        SessionCheckIn.objects.create(
            session=session, user=member, attended=True, usefulness=4, reflection="Private"
        )

    member_delete(user=members[0])

    assert SessionCheckIn.objects.filter(session=session).count() == 5
    kept = SessionCheckIn.objects.get(session=session, user__isnull=True)
    assert (kept.attended, kept.usefulness, kept.reflection) == (True, 4, "")


def test_a_session_held_still_shows_that_a_former_member_presented():
    learning_set, members = _set()
    first = learning_set.sessions.get(number=1)
    presenter = first.presenters.get().user
    viewer = next(m for m in members if m != presenter)

    member_delete(user=presenter)

    page = set_page(learning_set=learning_set, user=viewer, now=timezone.now())
    (row,) = [r for r in page["rows"] if r["session"].number == 1]
    assert row["presenters"] == ["A former member"]


def test_the_tick_gives_a_turn_taken_by_an_account_deleted_outside_the_service():
    learning_set, members = _set()
    gone = _presenting_later(learning_set, members)

    User.objects.filter(pk=gone.pk).delete()  # the admin's delete, not member_delete
    sets_tick(now=timezone.now())

    for session in _future(learning_set):
        presenters = set(session.presenters.values_list("user_id", flat=True))
        assert presenters and presenters <= set(set_member_ids(learning_set)), session.number


def test_the_set_and_organiser_pages_show_a_former_member_for_a_held_session(admin_client):
    """As leaving does (test_learning_set_leaving), but the account is gone: the held
    session's presenter and facilitator read "A former member" on the member's set page
    and on the organiser's sets page, never a blank or a dropped name."""
    from tests.pairing.test_learning_set_leaving import _page, _session_card

    learning_set, members = _set()
    first = learning_set.sessions.get(number=1)
    presenter = first.presenters.get().user
    facilitator = User.objects.get(pk=first.facilitator_id)
    viewer = next(m for m in members if m not in (presenter, facilitator))

    for gone in {presenter, facilitator}:
        member_delete(user=gone)
    card = _session_card(_page(viewer, reverse("pairing:set_detail", args=[learning_set.pk])), 1)
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    organisers = html.unescape(admin_client.get(url).content.decode())
    row = organisers.split('<th scope="row">1</th>')[1].split("</tr>")[0]

    assert "Presenting: A former member" in card
    assert "Facilitating this session: A former member" in card
    assert row.count("A former member") == (1 if presenter == facilitator else 2)
