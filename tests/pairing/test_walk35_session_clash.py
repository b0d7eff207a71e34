"""Walk 35: moving a session by hand put it on top of another set's session in the same
room, and a member into two sessions at once, with "Session moved." A move is now refused
with a reason in both cases, and the session keeps its time."""

from __future__ import annotations

import datetime as dt

import pytest

from members.models import User
from pairing.sets import services
from pairing.sets.models import LearningSet, Session
from pairing.sets.selectors import set_host_id, set_member_ids
from pairing.sets.services import SetError
from tests.factories import MembershipFactory
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _session(learning_set: LearningSet, number: int) -> Session:
    return learning_set.sessions.get(number=number)


def _host(learning_set: LearningSet) -> User:
    return User.objects.get(pk=set_host_id(learning_set))


def _refused_move(session, learning_set: LearningSet, starts_at) -> str:
    """The reason the set's host is given when moving ``session`` to ``starts_at``."""
    with pytest.raises(SetError) as refused:
        services.session_move(session=session, by=_host(learning_set), starts_at=starts_at, now=NOW)
    return str(refused.value)


def test_a_move_onto_another_sets_time_at_the_same_venue_is_refused():
    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    _cycle, (first, second) = form_cycle(programme, venue="Central Library, room 4")
    mine, theirs = _session(first, 2), _session(second, 2)
    assert mine.starts_at != theirs.starts_at  # formed apart (walk 34)

    reason = _refused_move(mine, first, theirs.starts_at + dt.timedelta(minutes=30))

    assert reason == (
        f"Set {second.number} meets at Central Library, room 4 from 13:30 to 16:30 that day: "
        "choose a time when the place is free."
    )
    mine.refresh_from_db()
    assert mine.sequence == 0 and mine.starts_at != theirs.starts_at
    # Once the other set has finished for the day, the room is free.
    services.session_move(session=mine, by=_host(first), starts_at=theirs.ends_at, now=NOW)
    mine.refresh_from_db()
    assert mine.starts_at == theirs.ends_at


def test_sets_with_no_shared_place_may_meet_at_the_same_time():
    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    _cycle, (first, second) = form_cycle(programme, venue="")
    mine, theirs = _session(first, 2), _session(second, 2)

    services.session_move(
        session=mine, by=_host(first), starts_at=theirs.starts_at + dt.timedelta(days=1), now=NOW
    )
    services.session_move(
        session=mine, by=_host(first), starts_at=theirs.starts_at, now=NOW
    )  # no clash: each set meets where it agrees

    mine.refresh_from_db()
    assert mine.starts_at == theirs.starts_at


def test_a_move_that_puts_a_member_in_two_sessions_at_once_is_refused():
    spring = learning_set_programme(group_size=4, name="Spring sets")
    winter = learning_set_programme(group_size=4, name="Winter sets")
    users = join(spring, 4)
    for user in users:
        MembershipFactory(user=user, programme=winter)
    _c1, (spring_set,) = form_cycle(spring, venue="Room 1")
    later = NOW.date() + dt.timedelta(days=16)
    _c2, (winter_set,) = form_cycle(winter, venue="Room 9", first_session_on=later)
    assert set(set_member_ids(spring_set)) == set(set_member_ids(winter_set))
    mine, theirs = _session(winter_set, 2), _session(spring_set, 2)

    reason = _refused_move(mine, winter_set, theirs.starts_at + dt.timedelta(hours=1))

    assert reason == (
        "A member of this set has another learning-set session at that time: choose another time."
    )


def test_the_sets_page_says_which_session_was_not_moved_and_why(organiser_client):
    """Walk 36: with a dozen session forms on the page, "Set 2 meets at ..." alone did not
    say which move had failed."""
    import html
    import zoneinfo

    from django.urls import reverse

    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    cycle, (first, second) = form_cycle(programme, venue="Room 1")
    mine, theirs = _session(first, 2), _session(second, 2)
    when = theirs.starts_at.astimezone(zoneinfo.ZoneInfo(theirs.time_zone))

    response = organiser_client.post(
        reverse("admin:pairing_cycle_sets", args=[cycle.pk]),
        {
            "action": "move", "set": first.pk, "session": mine.pk,
            f"s{mine.pk}-day": when.date().isoformat(), f"s{mine.pk}-time": when.strftime("%H:%M"),
        },
        follow=True,
    )  # fmt: skip

    assert (
        f"Set {first.number}, session 2 not moved: Set {second.number} meets at Room 1 from "
        "13:30 to 16:30 that day: choose a time when the place is free."
    ) in html.unescape(response.content.decode())
    mine.refresh_from_db()
    assert mine.sequence == 0
