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
