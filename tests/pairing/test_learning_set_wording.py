"""What the set page and the dashboard say as a cycle thins out and ends (a browser
walk-through): the header counts cancelled sessions, and a cycle that is over points to
the set evaluation."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.sets import services
from pairing.sets.plan import zone_named
from pairing.sets.selectors import dashboard_sessions, set_member_ids
from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db


def _set(held: int = 0):
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    hold_sessions(learning_set, held)
    member = User.objects.get(pk=set_member_ids(learning_set)[-1])
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return learning_set, member, organiser


def _page(user, learning_set) -> str:
    url = reverse("pairing:set_detail", args=[learning_set.pk])
    return html.unescape(client_for(user).get(url).content.decode())


def test_the_header_counts_the_sessions_cancelled():
    learning_set, member, organiser = _set(held=2)
    before = _page(member, learning_set)

    for session in learning_set.sessions.filter(number__gte=3):
        services.session_cancel(session=session, by=organiser, now=timezone.now())
    after = _page(member, learning_set)

    cycle = f"(cycle from {learning_set.cycle.first_session_on:%-d %B %Y})"
    assert f"set {learning_set.number} {cycle}: 6 sessions of 3 hours" in before
    assert (
        f"set {learning_set.number} {cycle}: 6 sessions planned, 4 cancelled, of 3 hours" in after
    )


def test_a_cycle_that_is_over_points_to_the_set_evaluation():
    learning_set, member, organiser = _set(held=4)
    for session in learning_set.sessions.filter(number__gte=5):
        services.session_cancel(session=session, by=organiser, now=timezone.now())

    page = _page(member, learning_set)
    (row,) = dashboard_sessions(user=member)

    evaluate = reverse("pairing:set_evaluate", args=[learning_set.pk])
    assert f'<a href="{evaluate}">The cycle is over: tell us how the set went</a>' in page
    # The dashboard says no session is to come, and links the evaluation.
    assert row["next"] is None and row["evaluate"]
    dashboard = client_for(member).get(reverse("members:dashboard")).content.decode()
    assert f'href="{evaluate}">Tell us how the set went' in dashboard
    client_for(member).post(evaluate, {"usefulness": "4", "would_recommend": "yes"})
    (row,) = dashboard_sessions(user=member)
    assert not row["evaluate"]
    dashboard = client_for(member).get(reverse("members:dashboard")).content.decode()
    assert "Tell us how the set went" not in dashboard
    assert "tell us how the set went" not in _page(member, learning_set)


def test_a_cycle_still_running_does_not_ask_for_the_evaluation():
    _learning_set, member, _organiser = _set(held=2)

    (row,) = dashboard_sessions(user=member)

    assert row["next"] is not None and not row["evaluate"]


def test_the_organisers_move_form_starts_from_the_sessions_day_and_time():
    """The organisers' sets page: each session's move form is filled with its day and
    start time, and its time zone hint is shown (the time input points at it)."""
    learning_set, _member, organiser = _set()
    session = learning_set.sessions.order_by("number").last()
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])

    page = client_for(organiser).get(url).content.decode()

    local = timezone.localtime(session.starts_at, zone_named(session.time_zone))
    prefix = f"id_s{session.pk}"
    assert f'value="{local:%Y-%m-%d}"' in page and f'value="{local:%H:%M}"' in page
    assert f'id="{prefix}-time_helptext">In the set' in page
