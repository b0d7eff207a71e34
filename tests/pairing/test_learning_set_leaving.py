"""Leaving a learning set (a browser walk-through): history stays fixed (sessions held keep
who presented and facilitated, by name, after they leave), the member who now looks
after the dates is told, the leaver gets one email and a short page instead of a 404,
and the organisers see who left and when."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.sets import services
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db


def _page(user, url: str) -> str:
    return html.unescape(client_for(user).get(url).content.decode())


def _set(held: int = 0):
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    hold_sessions(learning_set, held)
    users = User.objects.in_bulk(set_member_ids(learning_set))
    sessions = {s.number: s for s in learning_set.sessions.all()}
    return learning_set, [users[m] for m in set_member_ids(learning_set)], sessions


def _session_card(text: str, number: int) -> str:
    return text.split(f'id="session-{number}"')[1].split("</article>")[0]


def test_sessions_held_keep_who_presented_and_facilitated_after_they_leave(admin_client):
    learning_set, members, sessions = _set(held=2)
    first = sessions[1]
    presenter = first.presenters.get().user
    facilitator = User.objects.get(pk=first.facilitator_id)
    viewer = next(m for m in members if m not in (presenter, facilitator))

    for leaver in (presenter, facilitator):
        services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())
    page = _page(viewer, reverse("pairing:set_detail", args=[learning_set.pk]))
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])
    organisers = html.unescape(admin_client.get(url).content.decode())

    card = _session_card(page, 1)
    assert f"Presenting: {presenter.profile.display_name}" in card
    assert f"Facilitating this session: {facilitator.profile.display_name}" in card
    assert "to be agreed" not in card and "shares facilitation" not in card
    row = organisers.split('<th scope="row">1</th>')[1].split("</tr>")[0]
    assert presenter.profile.display_name in row and facilitator.profile.display_name in row
    # Sessions still to come are re-planned without them.
    later = _session_card(page, 4)
    assert presenter.profile.display_name not in later
