"""Walk 34: the two sets of a cycle met in one room ("Central Library, room 3", one
online link) on the same Tuesdays, 12:00-15:00 and 13:30-16:30. Sets sharing the cycle's
venue or link no longer overlap: a later set moves to the other part of the same day,
else to the next weekday; sets with no shared place keep the time their members chose."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pairing.sets import plan
from pairing.sets.models import Session
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
HALF_DAY = dt.timedelta(hours=3)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), LONDON).astimezone(dt.UTC)


def _overlaps(sessions: list[Session]) -> list[tuple[int, int]]:
    return [
        (a.pk, b.pk)
        for a in sessions
        for b in sessions
        if a.learning_set_id < b.learning_set_id
        and a.starts_at < b.ends_at
        and b.starts_at < a.ends_at
    ]


@pytest.mark.parametrize(
    "place",
    [
        {"venue": "Central Library, room 3"},
        {"venue": "", "online_link": "https://meet.example.org/als"},
    ],
)
def test_sets_sharing_the_cycles_place_never_meet_at_the_same_time(place):
    programme = learning_set_programme(group_size=4)
    join(programme, 12, availability=["tue-lunch"])  # three sets, all free Tuesday lunch

    cycle, sets = form_cycle(programme, **place)

    sessions = list(Session.objects.filter(learning_set__cycle=cycle))
    assert len(sets) == 3 and len(sessions) == 18
    assert _overlaps(sessions) == []
    firsts = sorted(s.starts_at.astimezone(LONDON) for s in sessions if s.number == 1)
    # The first set keeps Tuesday at noon; the others move within the working week.
    assert (firsts[0].weekday(), firsts[0].time()) == (1, dt.time(12, 0))
    assert all(f.weekday() < 5 and (f + HALF_DAY).time() <= plan.LATEST for f in firsts)


def test_sets_with_no_shared_place_keep_the_time_their_members_chose():
    programme = learning_set_programme(group_size=4)
    join(programme, 8, availability=["tue-lunch"])

    cycle, _ = form_cycle(programme, venue="")

    starts = {
        s.starts_at.astimezone(LONDON).time()
        for s in Session.objects.filter(learning_set__cycle=cycle)
    }
    assert starts == {dt.time(12, 0)}


@given(
    first=st.dates(dt.date(2027, 1, 4), dt.date(2027, 12, 20)),
    hours=st.sampled_from([2, 3, 4, 6]),
    sets=st.integers(1, 8),
)
def test_clear_of_never_returns_a_clash_it_could_avoid(first, hours, sets):
    length = dt.timedelta(hours=hours)
    taken: list[tuple[dt.datetime, dt.datetime]] = []
    for _ in range(sets):
        series = [_at(first + dt.timedelta(weeks=8 * i), 9, 30) for i in range(6)]
        moved = plan.clear_of(series, length, taken, "Europe/London")
        assert len(moved) == 6
        clash = any(s < e and b < s + length for s in moved for b, e in taken)
        if clash:
            assert moved == series  # kept only when nowhere in the week was free
        else:
            # Weekly rhythm and wall-clock time kept (across the clocks changing).
            local = [m.astimezone(LONDON) for m in moved]
            assert len({(m.weekday(), m.time()) for m in local}) == 1
        taken += [(s, s + length) for s in moved]


def test_clear_of_leaves_a_series_with_nothing_taken_alone():
    series = [_at(NOW.date() + dt.timedelta(weeks=8 * i), 12) for i in range(6)]
    assert plan.clear_of(series, HALF_DAY, [], "Europe/London") == series
