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
from pairing.models import OutboxKind
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.selectors import set_host_id, set_member_ids
from tests.pairing.set_helpers import (
    form_cycle,
    hold_sessions,
    join,
    learning_set_programme,
    rows,
)
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


def _notices(**filters):
    return rows(OutboxKind.SET_NOTICE, **filters)


def test_the_member_who_now_looks_after_the_dates_is_told_by_email_and_on_the_page():
    learning_set, members, _sessions = _set()
    ben = User.objects.get(pk=set_host_id(learning_set))

    services.set_leave(learning_set=learning_set, user=ben, now=timezone.now())

    dev = User.objects.get(pk=set_host_id(learning_set))
    assert dev != ben
    (notice,) = _notices(key__contains=":host_")
    assert notice.user_id == dev.pk
    message = build_message(notice)
    assert message.to == [dev.email]
    assert message.subject.endswith(f"you now look after the dates of set {learning_set.number}")
    assert f"{ben.profile.display_name} left the set" in message.body
    assert "you can move a session" in message.body
    page = _page(dev, reverse("pairing:set_detail", args=[learning_set.pk]))
    assert (
        f"You look after the dates</strong> (since {ben.profile.display_name} left the set on"
        in page
    )
    other = next(m for m in members if m not in (ben, dev))
    seen = _page(other, reverse("pairing:set_detail", args=[learning_set.pk]))
    assert f"{dev.profile.display_name} looks after the dates (since" in seen


def test_no_date_keeper_notice_when_someone_else_leaves():
    learning_set, members, _sessions = _set()
    host = set_host_id(learning_set)
    leaver = next(m for m in members if m.pk != host)

    services.set_leave(learning_set=learning_set, user=leaver, now=timezone.now())

    assert not _notices(key__contains=":host_")


def test_a_member_named_facilitator_by_the_organisers_is_told_they_look_after_the_dates():
    learning_set, members, _sessions = _set()
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    named = next(m for m in members if m.pk != set_host_id(learning_set))

    services.set_facilitator_update(
        learning_set=learning_set, by=organiser, member=named, email="", name="",
        now=timezone.now(),
    )  # fmt: skip

    (notice,) = _notices(key__contains=":host_")
    assert notice.user_id == named.pk
    assert "the organisers named you the set's facilitator" in build_message(notice).body
