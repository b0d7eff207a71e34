"""Cancelling a session and its presenters' turns (a browser walk-through): the turn moves
to a LATER session (a member whose session is cancelled expects their issue to come
after, not before, the date they were preparing for), the cancel page and the
presenter's cancellation email say where it went, and when no later session exists they
say what happens instead: a presenter with no other turn gets the emptiest session still
to come (an earlier one: better than no turn at all), anyone else's turn is lost, for the
set to agree whether to make time for it, and the rota says so rather than promise
"everyone brings an issue at least once" beside "0 turns"."""

from __future__ import annotations

import html
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.models import OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import (
    form_cycle,
    hold_sessions,
    join,
    learning_set_programme,
    rows,
)
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db


def _day(session) -> str:
    local = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo("Europe/London"))
    return f"session {session.number} ({local:%A} {local.day} {local:%B %Y})"


def _set_of_five(*, held: int):
    """Five members, six sessions eight weeks apart, `held` of them already held (by the
    real clock, for the pages): member i presents at session i + 1, the first at 6 too."""
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    hold_sessions(learning_set, held)
    sessions = {s.number: s for s in learning_set.sessions.all()}
    assert sum(s.starts_at <= timezone.now() for s in sessions.values()) == held
    host = User.objects.get(pk=learning_set.match.host_id)
    return learning_set, sessions, host


def _page(user, url: str) -> str:
    return html.unescape(client_for(user).get(url).content.decode())


def _presenter(session) -> User:
    return session.presenters.order_by("pk").first().user


def _presents_at(learning_set, user) -> list[int]:
    return sorted(
        s.number for s in learning_set.sessions.filter(status="scheduled", presenters__user=user)
    )


def _cancel_email(session, user):
    (row,) = rows(OutboxKind.SESSION_CANCEL, user=user, key__contains=f":{session.pk}:")
    message = build_message(row)
    return message.body + message.alternatives[0][0]


def test_a_cancelled_presenters_turn_moves_to_a_later_session_and_they_are_told():
    learning_set, sessions, host = _set_of_five(held=0)
    fifth = sessions[5]
    kiran = _presenter(fifth)  # presents at session 5 only
    assert _presents_at(learning_set, kiran) == [5]
    page = _page(host, reverse("pairing:session_cancel", args=[fifth.pk]))

    services.session_cancel(session=fifth, by=host, now=timezone.now())

    assert _presents_at(learning_set, kiran) == [6]  # not session 1 or 3: earlier
    whose = "Your" if kiran == host else f"{kiran.profile.display_name}'s"
    promise = f"{whose} turn to bring an issue moves to a later session: {_day(sessions[6])}."
    assert promise in page
    email = _cancel_email(fifth, kiran)
    assert f"Your turn moves to a later session: {_day(sessions[6])}" in email
    bystander = User.objects.get(pk=next(m for m in set_member_ids(learning_set) if m != kiran.pk))
    assert "Your turn moves" not in _cancel_email(fifth, bystander)
    # Cancelled for everyone, not "for you" (walk 29).
    assert "is cancelled for the whole set." in _cancel_email(fifth, bystander)
    assert "cancelled for you" not in _cancel_email(fifth, bystander)


def test_with_no_later_session_the_page_and_email_say_the_turn_is_lost():
    learning_set, sessions, host = _set_of_five(held=4)
    sixth = sessions[6]
    first = _presenter(sixth)  # presented at session 1 already
    url = reverse("pairing:session_cancel", args=[sixth.pk])

    page = _page(host, url)
    services.session_cancel(session=sixth, by=host, now=timezone.now())

    lost = f"{first.profile.display_name}'s turn to bring an issue is lost: there is no later"
    if first == host:
        lost = "Your turn to bring an issue is lost: there is no later"
    assert lost in page
    assert "gets a turn at a later session" not in page
    assert "so it is lost" in _cancel_email(sixth, first)
    assert _presents_at(learning_set, first) == [1]


def test_with_no_later_session_a_presenter_with_no_other_turn_gets_an_earlier_one():
    learning_set, sessions, host = _set_of_five(held=3)
    services.session_cancel(session=sessions[5], by=host, now=timezone.now())
    kiran = _presenter(sessions[5])
    assert _presents_at(learning_set, kiran) == [6]
    sixth = sessions[6]

    page = _page(host, reverse("pairing:session_cancel", args=[sixth.pk]))
    services.session_cancel(session=sixth, by=host, now=timezone.now())

    name = "Your" if kiran == host else f"{kiran.profile.display_name}'s"
    assert (
        f"{name} turn to bring an issue moves to an earlier session, {_day(sessions[4])}: "
        "there is no later session it could move to."
    ) in page
    assert _presents_at(learning_set, kiran) == [4]
    email = _cancel_email(sixth, kiran)
    assert f"so your turn moves to an earlier one still to come: {_day(sessions[4])}" in email


def test_when_the_last_sessions_are_cancelled_the_rota_says_who_has_no_turn():
    learning_set, sessions, _host = _set_of_five(held=4)
    kiran = _presenter(sessions[5])
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    other = User.objects.get(pk=next(m for m in set_member_ids(learning_set) if m != kiran.pk))

    for number in (6, 5):
        services.session_cancel(session=sessions[number], by=organiser, now=timezone.now())
    text = _page(kiran, reverse("pairing:set_detail", args=[learning_set.pk]))
    others = _page(other, reverse("pairing:set_detail", args=[learning_set.pk]))

    assert _presents_at(learning_set, kiran) == []
    assert "You: 0 turns" in text
    assert "You have no turn left, as no session still to come could take one" in text
    assert "Over the cycle everyone brings an issue at least once." not in text
    assert f"{kiran.profile.display_name} has no turn left" in others


def test_the_organisers_confirmation_says_where_the_turn_goes(admin_client):
    learning_set, sessions, _host = _set_of_five(held=0)
    fifth = sessions[5]
    kiran = _presenter(fifth)

    page = admin_client.post(
        reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id]),
        {"action": "cancel", "set": learning_set.pk, "session": fifth.pk},
    )
    text = html.unescape(page.content.decode())

    assert (
        f"{kiran.profile.display_name}'s turn to bring an issue moves to a later session: "
        f"{_day(sessions[6])}."
    ) in text
    assert "its presenters get a turn in a later session" not in text


def test_the_cancel_page_warns_when_a_session_would_have_more_than_two_presenters():
    """Cancelling sessions 5 then 4 piles their turns onto session 6: the pages say so
    before, and those already presenting there are told who now presents with them."""
    learning_set, sessions, host = _set_of_five(held=0)
    services.session_cancel(session=sessions[5], by=host, now=timezone.now())
    fourth, sixth = sessions[4], sessions[6]
    already = [p.user for p in sixth.presenters.order_by("pk")]
    assert len(already) == 2
    mover = _presenter(fourth)

    warning = "Session 6 would then have 3 presenters in 3 hours"
    assert warning in _page(host, reverse("pairing:session_cancel", args=[fourth.pk]))
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    organiser_page = client_for(organiser).post(
        reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id]),
        {"action": "cancel", "set": learning_set.pk, "session": fourth.pk},
    )
    assert warning in html.unescape(organiser_page.content.decode())

    services.session_cancel(session=fourth, by=host, now=timezone.now())

    for member in already:
        email = _cancel_email(fourth, member)
        assert f"{mover.profile.display_name} now presents at {_day(sixth)} with you" in email
        assert "3 presenters in 3 hours" in email
    assert "now presents at" not in _cancel_email(fourth, mover)
