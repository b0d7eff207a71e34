"""Walk 24: after early runs, the dashboard filed a member's newest introduction under
"Past introductions" and listed the rest out of order (by the day each round was
planned). Introductions are ordered by the day their round ran, and the current one is
the round that ran last."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pairing.models import Round
from pairing.selectors import matches_for_member
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.pairing.test_walk14_dashboard import _match

pytestmark = pytest.mark.django_db


def _ran(programme, number: int, planned: dt.date, ran: dt.date) -> Round:
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=planned,
        status="done",
        seed=number,
        finished_at=timezone.make_aware(dt.datetime.combine(ran, dt.time(12))),
    )


def test_introductions_go_by_the_day_they_ran_and_the_last_to_run_is_current(member):
    today = timezone.localdate()
    programme = ProgrammeFactory()
    MembershipFactory(user=member, programme=programme)
    # Round 1 planned and run a month ago; round 2 planned for next month, run early a
    # week ago; round 5 planned for next week, run yesterday; round 4 planned for two
    # months on, run today: round 4 ran last (after a later-numbered round).
    first = _match(
        _ran(programme, 1, today - dt.timedelta(days=30), today - dt.timedelta(days=30)),
        member,
        UserFactory(),
    )
    second = _match(
        _ran(programme, 2, today + dt.timedelta(days=30), today - dt.timedelta(days=7)),
        member,
        UserFactory(),
    )
    fifth = _match(
        _ran(programme, 5, today + dt.timedelta(days=7), today - dt.timedelta(days=1)),
        member,
        UserFactory(),
    )
    fourth = _match(_ran(programme, 4, today + dt.timedelta(days=60), today), member, UserFactory())

    result = matches_for_member(user=member, today=today)

    assert [m.pk for m in result.current] == [fourth.pk]
    assert [m.pk for m in result.past] == [fifth.pk, second.pk, first.pk]
