"""Walk 14: the preview's "too soon" warning says when members get their next
introduction in words that suit the day ("today", not "within days")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pairing.models import Round
from pairing.rounds.preview_notes import too_soon_warning
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _next_after(ran_at: dt.datetime) -> Round:
    programme = ProgrammeFactory(cadence_days=28)
    Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for=timezone.localdate(ran_at),
        status="done",
        seed=1,
        finished_at=ran_at,
    )
    return Round.objects.create(
        programme=programme, number=2, scheduled_for=dt.date(2027, 3, 1), seed=2
    )


def test_a_round_previewed_the_day_the_last_ran_gives_no_warning_it_is_refused_instead():
    # One round a day (walk 24): the preview refuses the run and says from when
    # (tests/pairing/test_one_round_a_day.py), so no "run it now" warning contradicts it.
    assert too_soon_warning(_next_after(timezone.now())) == []


def test_a_round_previewed_days_after_the_last_says_how_many_days_after():
    [warning] = too_soon_warning(_next_after(timezone.now() - dt.timedelta(days=3)))

    assert warning.startswith(
        "The last round ran 3 days ago: run this one now and its members get another "
        "introduction 3 days after their last,"
    )
