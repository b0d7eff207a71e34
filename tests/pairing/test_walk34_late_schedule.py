"""Walk 34: after the scheduler was down for months, a round ran late and the programme's
next round date was one cadence after the missed date, still months in the past: the
dashboard showed "next round 11 January 2027" in July, and each day's tick would have run
another round until it caught up. Keeping to the planned days instead put the next round
3 days after the late one (walk 35). A late run is now followed a cadence after the day
it ran."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pairing.models import Programme, Round, RoundStatus
from pairing.rounds.schedule import rounds_run_due
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _programme(next_round_on: dt.date) -> Programme:
    programme = ProgrammeFactory(cadence_days=28, next_round_on=next_round_on)
    for user in UserFactory.create_batch(4):
        MembershipFactory(user=user, programme=programme)
    return programme


@pytest.mark.parametrize("late", [1, 25, 100])
def test_a_round_run_late_plans_the_next_a_cadence_after_it_ran(late):
    now = timezone.now()
    today = timezone.localdate(now)
    missed = today - dt.timedelta(days=late)  # 100: 3 planned days past, 16 into a 4th
    programme = _programme(missed)

    (ran,) = rounds_run_due(now=now)

    programme.refresh_from_db()
    assert ran.status == RoundStatus.DONE and ran.scheduled_for == missed
    # Not the missed day's schedule (3 days on after 25 days late): a cadence from today.
    assert programme.next_round_on == today + dt.timedelta(days=28)
    # The next days' ticks run nothing until then: no round a day to catch up.
    for days in range(1, (programme.next_round_on - today).days):
        assert rounds_run_due(now=now + dt.timedelta(days=days)) == []
    assert Round.objects.filter(programme=programme).count() == 1


def test_a_round_run_on_its_day_or_early_keeps_the_schedule():
    now = timezone.now()
    today = timezone.localdate(now)
    on_time = _programme(today)

    rounds_run_due(now=now)

    on_time.refresh_from_db()
    assert on_time.next_round_on == today + dt.timedelta(days=28)


def test_a_round_run_exactly_one_cadence_late_plans_the_next_a_cadence_on():
    now = timezone.now()
    today = timezone.localdate(now)
    programme = _programme(today - dt.timedelta(days=28))

    rounds_run_due(now=now)

    programme.refresh_from_db()
    # Not today (a second round the same day): the next planned day, 28 days on.
    assert programme.next_round_on == today + dt.timedelta(days=28)
