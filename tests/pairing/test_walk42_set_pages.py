"""Walk 42, on learning sets: the preview and the cycle's round page showed a "Host" column
naming one member of each set, though sets have no host (each session's facilitator is
on the set page); a second cycle's introduction said its members "were last introduced
in December 2026 ... a chance to catch up" of a set that met until a week before; and
the next cycle page said only "not set" beside a cycle already set up."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from pairing.models import OutboxKind, Round
from pairing.outbox import build_message
from pairing.sets.models import Cycle
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme, rows
from tests.pairing.test_round_admin import _organiser_of
from tests.pairing.test_walk39_next_cycle import FIRST, _cohort, _next_round

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def _headers(response) -> str:
    page = response.content.decode()
    table = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return " ".join(strip_tags(table.replace("</th>", " ")).split())


def _previewed(programme):
    client = _organiser_of(programme)
    client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    draft = Round.objects.get(programme=programme)
    return client, reverse("admin:pairing_round_preview", args=[draft.pk])


def test_a_learning_set_preview_has_no_host_column():
    programme = learning_set_programme(group_size=4, avoid_same_organisation=False)
    join(programme, 8)
    client, url = _previewed(programme)

    assert _headers(client.get(url)) == "Set Members Score Shared interests Lock"


def test_a_coffee_preview_keeps_its_host_column():
    programme = ProgrammeFactory(avoid_same_organisation=False)
    for _ in range(4):
        MembershipFactory(programme=programme)
    client, url = _previewed(programme)

    assert _headers(client.get(url)) == "Group Members Score Shared interests Host Lock"


def test_a_cycles_round_page_has_no_host_column():
    programme = _cohort()
    cycle, _sets = form_cycle(programme, **FIRST)
    client = _organiser_of(programme)

    page = client.get(reverse("admin:pairing_round_progress", args=[cycle.forming_round_id]))

    assert _headers(page) == "Set Members Score Introduction"


def test_a_second_cycles_introduction_says_they_were_in_a_set_together():
    programme = _cohort()
    form_cycle(programme, **FIRST)
    second = _next_round(programme, NOW)

    (row,) = rows(OutboxKind.INTRO, match__pairing_round=second.forming_round)
    body = build_message(row).body

    assert "IN A SET TOGETHER BEFORE" in body and "MEETING AGAIN" not in body
    # Walk 44: "YOUR SESSIONS (3 hours (half day) each; ...)", brackets in brackets.
    assert "YOUR SESSIONS (3 hours each; https://meet.example.org/sets)" in body
    # Walk 47: the cycle by the name the dashboard gives it, the whole set at once.
    assert "You were all in a set together in the cycle from 15 December 2026." in body
    assert "last introduced" not in body and "catch up" not in body


def test_the_next_cycle_page_names_the_cycle_set_up_before_the_first():
    programme = learning_set_programme(group_size=4, next_round_on=None)
    join(programme, 8)
    Cycle.objects.create(programme=programme, first_session_on=dt.date(2027, 2, 1))
    client = _organiser_of(programme)

    page = _text(client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk])))

    assert (
        "Next cycle's sets form on: not set (formed today when you preview and run them, "
        "for the cycle you set up: first session week from Monday 1 February 2027)"
    ) in page


def test_the_next_round_page_of_a_coffee_programme_runs_today_when_previewed():
    programme = ProgrammeFactory(next_round_on=None)
    client = _organiser_of(programme)

    page = _text(client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk])))

    # (Walk 45: "runs today when previewed", where a preview runs nothing.)
    assert "Next round date: not set (the round runs when you preview and run it)" in page


def test_a_date_still_to_come_is_when_the_next_cycles_sets_form():
    # Walk 44: "Next cycle's sets formed on: 11 May 2027" for a date to come.
    day = timezone.localdate() + dt.timedelta(days=30)
    programme = learning_set_programme(group_size=4, next_round_on=day)
    client = _organiser_of(programme)

    page = _text(client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk])))

    assert f"Next cycle's sets form on: {day.day} {day:%B %Y}" in page


def test_the_cycle_form_shows_the_start_time_without_seconds():
    # Walk 44: "Start time" pre-filled "10:00:00".
    programme = learning_set_programme(group_size=4)
    client = _organiser_of(programme)
    programme.organisers.get().user_permissions.add(
        *Permission.objects.filter(codename__in=["add_cycle", "view_cycle"])
    )

    page = client.get(reverse("admin:pairing_cycle_add")).content.decode()

    assert 'name="start_time" value="10:00"' in page


def test_a_weekly_cycle_meets_every_week_not_every_1_week():
    # Walk 45: "every 1 week" in the preview notes and on the cycle's sets page.
    programme = learning_set_programme(group_size=4, avoid_same_organisation=False)
    join(programme, 8)
    Cycle.objects.create(programme=programme, first_session_on=dt.date(2027, 2, 1),
                         interval_weeks=1, online_link="https://meet.example.org/w")  # fmt: skip
    client, url = _previewed(programme)

    page = _text(client.get(url))

    assert "The sets will meet 6 times, every week, from the week starting" in page
    assert "every 1 week" not in page


def test_a_dated_next_cycle_names_the_cycle_set_up_for_it():
    # Walk 45: named before the first cycle only.
    day = timezone.localdate() + dt.timedelta(days=30)
    programme = learning_set_programme(group_size=4, next_round_on=day)
    Cycle.objects.create(programme=programme, first_session_on=day + dt.timedelta(days=14))
    first = day + dt.timedelta(days=14)
    client = _organiser_of(programme)

    page = _text(client.get(reverse("admin:pairing_programme_next_round", args=[programme.pk])))

    assert (
        f"Next cycle's sets form on: {day.day} {day:%B %Y} (for the cycle you set up: first "
        f"session week from {first:%A} {first.day} {first:%B %Y})"
    ) in page
