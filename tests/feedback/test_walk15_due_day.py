"""Walk 15: a search review's share due day never falls in the holiday week (24 December
to 1 January): it moves on to 2 January, as suggested meeting slots skip that week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.kinds import kind_of
from pairing.models import Match, MatchMember, Round
from tests.feedback.strategy_helpers import review_programme

pytestmark = pytest.mark.django_db


def _ran_on(programme, on: dt.date) -> Round:
    return Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for=on,
        status="done",
        seed=1,
        finished_at=timezone.make_aware(dt.datetime.combine(on, dt.time(9, 0))),
    )


def test_a_share_due_on_boxing_day_moves_to_the_second_of_january(member_client, member):
    programme = review_programme()  # five days to share
    pairing_round = _ran_on(programme, dt.date(2026, 12, 21))
    match = Match.objects.create(pairing_round=pairing_round)
    MatchMember.objects.create(match=match, pairing_round=pairing_round, user=member)

    page = member_client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()

    assert kind_of(programme).share_due_on(pairing_round) == dt.date(2027, 1, 2)
    assert "Saturday 2 January 2027" in page
    assert "26 December" not in page


def test_a_share_due_before_the_holiday_week_stays(member):
    programme = review_programme()

    due = kind_of(programme).share_due_on(_ran_on(programme, dt.date(2026, 12, 18)))

    assert due == dt.date(2026, 12, 23)
