"""One round a day per programme (walk 23): after a round ran early today, neither the
programme form nor the schedule can put a second round on today, so nobody is introduced
twice in a day. The next round can run from tomorrow."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.models import Match, Programme, Round, RoundStatus
from pairing.rounds.schedule import rounds_run_due
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.pairing.set_helpers import RULES, form_cycle, join, learning_set_programme
from tests.pairing.test_programme_admin import _programme_form

pytestmark = pytest.mark.django_db


def _ran_early_today(programme: Programme) -> Round:
    """Round 1, planned for next week, run this morning (early, from its preview)."""
    for user in UserFactory.create_batch(6):
        MembershipFactory(user=user, programme=programme)
    planned = timezone.localdate() + dt.timedelta(days=7)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=planned)
    return rounds.round_run(pairing_round=pairing_round, now=timezone.now())


def test_the_round_that_ran_today_is_found_and_yesterdays_is_not():
    programme = ProgrammeFactory()
    held = _ran_early_today(programme)
    today = timezone.localdate()

    assert rounds.round_held_today(programme=programme, today=today) == held
    assert rounds.round_held_today(programme=programme, today=today + dt.timedelta(days=1)) is None
    assert rounds.round_held_today(programme=ProgrammeFactory(), today=today) is None


def test_the_form_refuses_today_for_the_next_round_after_a_round_ran_today(organiser_client):
    programme = ProgrammeFactory(name="Coffee north", slug="coffee-north")
    _ran_early_today(programme)
    today = timezone.localdate()
    url = reverse("admin:pairing_programme_change", args=[programme.pk])

    response = organiser_client.post(url, _programme_form(next_round_on=today.isoformat()))

    body = html.unescape(response.content.decode())
    assert (
        "Round 1 ran today: choose tomorrow or a later day for the next round, so nobody "
        "is introduced twice in a day."
    ) in body
    programme.refresh_from_db()
    assert programme.next_round_on != today
    tomorrow = today + dt.timedelta(days=1)
    organiser_client.post(url, _programme_form(next_round_on=tomorrow.isoformat()))
    programme.refresh_from_db()
    assert programme.next_round_on == tomorrow


def test_the_schedule_runs_no_second_round_on_the_day_one_ran_early():
    programme = ProgrammeFactory()
    first = _ran_early_today(programme)
    today = timezone.localdate()
    # Set to today by hand (or by an older version of the form).
    Programme.objects.filter(pk=programme.pk).update(next_round_on=today)
    matches = Match.objects.count()

    assert rounds_run_due(now=timezone.now()) == []
    assert Match.objects.count() == matches

    # Tomorrow's tick runs it: the programme's round for "today" goes out a day late.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    ran = rounds_run_due(now=tomorrow)
    assert [r.number for r in ran] == [first.number + 1]
    assert ran[0].status == RoundStatus.DONE
    assert Match.objects.count() > matches


def _another_round_open(programme: Programme) -> Round:
    """Round 2, planned for next month and previewed: the organiser's draft."""
    pairing_round = rounds.round_plan(
        programme=programme, scheduled_for=timezone.localdate() + dt.timedelta(days=35)
    )
    rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate())
    return pairing_round


def test_previewing_with_no_date_after_a_round_ran_today_is_refused(organiser_client):
    programme = ProgrammeFactory()
    _ran_early_today(programme)
    Programme.objects.filter(pk=programme.pk).update(next_round_on=None)
    url = reverse("admin:pairing_programme_next_round", args=[programme.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    page = html.unescape(organiser_client.get(url).content.decode())
    assert "not set (set a date from tomorrow: a round ran today)" in page
    response = organiser_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert (
        "Round 1 ran today, and a programme runs one round a day, so nobody is introduced "
        f"twice in a day: the next round can run from tomorrow, {tomorrow:%-d %B %Y}."
    ) in html.unescape(response.content.decode())
    assert programme.rounds.count() == 1


def test_another_rounds_preview_refuses_to_run_on_the_day_a_round_ran(organiser_client):
    programme = ProgrammeFactory()
    _ran_early_today(programme)
    pairing_round = _another_round_open(programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    matches = Match.objects.count()

    page = html.unescape(organiser_client.get(url + "?confirm=1").content.decode())
    assert "the next round can run from tomorrow" in page
    assert "Run this round…" not in page
    assert "get another introduction today" not in page
    response = organiser_client.post(url, {"action": "run"}, follow=True)

    assert "the next round can run from tomorrow" in html.unescape(response.content.decode())
    pairing_round.refresh_from_db()
    assert pairing_round.status == RoundStatus.PLANNED  # refused, not failed
    assert Match.objects.count() == matches


def test_a_run_leaves_no_stale_draft_on_another_open_round():
    """Walk 24: a draft formed before another round ran kept its groups (repeating that
    round's pairs) and told the organiser that those the other round left out had
    changed their profile. It is formed afresh when next looked at."""
    programme = ProgrammeFactory()
    for user in UserFactory.create_batch(6):
        MembershipFactory(user=user, programme=programme)
    later = _another_round_open(programme)
    first = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())

    rounds.round_run(pairing_round=first, now=timezone.now())

    later.refresh_from_db()
    assert later.status == RoundStatus.PLANNED
    assert later.draft is None
    preview = rounds.round_preview(
        pairing_round=later, today=timezone.localdate() + dt.timedelta(days=1)
    )
    assert not [w for w in preview.warnings if "what the matching uses about" in w]


def test_a_learning_set_date_inside_the_running_cycle_is_refused(organiser_client):
    programme = learning_set_programme(name="Action learning", slug="action-learning")
    join(programme, 10)
    form_cycle(programme, now=timezone.now() - dt.timedelta(days=2))
    last = rounds.round_waits(programme=programme, today=timezone.localdate())
    assert "still meet until" in last
    url = reverse("admin:pairing_programme_change", args=[programme.pk])
    form = {
        "name": "Action learning",
        "slug": "action-learning",
        "kind": "learning_set",
        "group_size": "5",
        "ground_rules": RULES,
        "cadence_days": "70",
    }
    today = timezone.localdate()

    response = organiser_client.post(url, _programme_form(**form, next_round_on=today.isoformat()))

    body = html.unescape(response.content.decode())
    assert "stay together for the whole cycle: choose" in body
    assert "or later for the next cycle's sets." in body
    programme.refresh_from_db()
    assert programme.next_round_on != today


def test_a_past_date_after_a_round_ran_today_is_told_to_choose_tomorrow(organiser_client):
    programme = ProgrammeFactory(name="Coffee north", slug="coffee-north")
    _ran_early_today(programme)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    url = reverse("admin:pairing_programme_change", args=[programme.pk])

    response = organiser_client.post(url, _programme_form(next_round_on=yesterday.isoformat()))

    assert (
        "The next round date cannot be in the past: choose tomorrow (a round ran today) or a "
        "later day."
    ) in html.unescape(response.content.decode())
