"""What members are told when a set's rota or sessions change (a browser walk-through):
a swap request names the dates, a new facilitator is not called a move, everyone hears
of a swap of turns, and the organisers' page counts moves apart from other updates."""

from __future__ import annotations

import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.models import OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme, rows
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
