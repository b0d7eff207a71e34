"""Walk 39: the second cycle of a learning-set programme, formed by the scheduled round with
no cycle set up for it, took the model's defaults: no venue or online link (the
invitations said nowhere where to meet), rotating facilitation where an external
facilitator had led the first, and half the cohort left out, as members who meet only in
person in different regions could no longer share a set. A cycle nobody set up now
follows the last one."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from pairing import rounds
from pairing.models import LeftOut, OutboxKind, Round
from pairing.sets.models import Cycle, Facilitation
from tests.pairing.set_helpers import (
    NOW,
    calendar_of,
    form_cycle,
    join,
    learning_set_programme,
    rows,
)

pytestmark = pytest.mark.django_db

FIRST = {
    "venue": "",
    "online_link": "https://meet.example.org/sets",
    "sessions": 3,
    "interval_weeks": 4,
    "start_time": dt.time(14, 0),
    "facilitation": Facilitation.EXTERNAL,
    "facilitator_email": "fran@example.org",
    "facilitator_name": "Fran Facilitator",
}


def _cohort():
    programme = learning_set_programme(group_size=5, avoid_same_organisation=False)
    join(programme, 3, meeting_format="in_person", region="london")
    join(programme, 3, meeting_format="in_person", region="wales")
    return programme


def _next_round(programme, now: dt.datetime):
    programme.refresh_from_db()
    day = programme.next_round_on
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    later = now.replace(year=day.year, month=day.month, day=day.day)
    rounds.round_run(pairing_round=pairing_round, now=later)
    return Cycle.objects.get(forming_round=pairing_round)


def test_a_cycle_nobody_set_up_meets_where_and_how_the_last_one_did():
    programme = _cohort()
    first, sets = form_cycle(programme, **FIRST)
    assert [s.match.members.count() for s in sets] == [6]  # online: one set of six

    second = _next_round(programme, NOW)

    assert second.pk != first.pk
    assert second.first_session_on.weekday() == 0  # a Monday, as the cycle form advises
    for name in FIRST:
        assert getattr(second, name) == getattr(first, name), name
    (learning_set,) = second.sets.all()
    assert learning_set.match.members.count() == 6  # nobody left out for their region
    assert not LeftOut.objects.filter(pairing_round=second.forming_round).exists()
    assert learning_set.facilitator_email == "fran@example.org"
    assert learning_set.sessions.count() == 3
    # Every member's invitation, and the facilitator's, says where to meet.
    invitations = [
        r for r in rows(OutboxKind.SESSION_INVITE) if r.match_id == learning_set.match_id
    ]
    assert len(invitations) == 3 * 7
    for outbox in invitations:
        (event,) = calendar_of(outbox).walk("VEVENT")
        assert str(event["LOCATION"]) == "https://meet.example.org/sets"


def test_the_first_cycle_nobody_set_up_still_takes_the_defaults():
    programme = _cohort()
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=NOW.date())
    rounds.round_run(pairing_round=pairing_round, now=NOW)

    cycle = Cycle.objects.get(forming_round=pairing_round)

    assert (cycle.sessions, cycle.interval_weeks, cycle.venue, cycle.online_link) == (6, 8, "", "")
    assert cycle.facilitation == Facilitation.ROTATING
    # Its first session week starts on the Monday on or after two weeks on (walk 41).
    assert cycle.first_session_on.weekday() == 0
    assert dt.timedelta(weeks=2) <= cycle.first_session_on - NOW.date() < dt.timedelta(weeks=3)


def test_a_cycle_set_up_for_the_next_round_wins_over_the_last_ones_settings():
    programme = _cohort()
    form_cycle(programme, **FIRST)
    programme.refresh_from_db()
    planned = Cycle.objects.create(
        programme=programme,
        first_session_on=programme.next_round_on + dt.timedelta(weeks=2),
        venue="Leeds Central Library",
    )

    second = _next_round(programme, NOW)

    assert second.pk == planned.pk
    assert (second.venue, second.online_link, second.sessions) == ("Leeds Central Library", "", 6)


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_the_preview_says_the_new_cycle_follows_the_last_one(organiser_client):
    programme = _cohort()
    form_cycle(programme, **FIRST)
    response = organiser_client.post(
        reverse("admin:pairing_programme_next_round", args=[programme.pk])
    )
    assert response.status_code == 302, _text(response)
    draft = Round.objects.filter(programme=programme).latest("pk")
    assert not hasattr(draft, "cycle") or draft.cycle is None

    page = _text(organiser_client.get(reverse("admin:pairing_round_preview", args=[draft.pk])))

    assert re.search(
        r"No cycle is set up for these sets\. If they are formed without one, they meet in "
        r"a new cycle like the last one: 3 sessions of 3 hours, every 4 weeks "
        r"from the week starting Monday \d+ \w+ \d{4}, at https://meet\.example\.org/sets, "
        r"facilitated by Fran Facilitator, and each member is sent every session's "
        r"invitation\. To choose otherwise, add a cycle for this programme first\.",
        page,
    ), page
    # And the matching knows where they will meet: nobody is left out for their region.
    assert "1 set, 0 unplaced, 0 not eligible" in page


def test_the_programme_page_describes_the_sessions_as_the_last_cycle_ran(member_client):
    programme = _cohort()
    form_cycle(programme, **FIRST)

    page = _text(member_client.get(reverse("pairing:programme_detail", args=[programme.slug])))

    assert "(usually 3 sessions of 3 hours, every 4 weeks, online)" in page
