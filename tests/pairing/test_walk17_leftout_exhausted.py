"""Walk 17: "Pool nearly exhausted" counted a new member nobody could be matched with
(in person only, nobody else in person in her region) as having met everyone."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2027, 1, 10)


def _warnings(programme, day=DAY) -> list[str]:
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    return rounds.round_preview(pairing_round=pairing_round, today=day).warnings


def test_a_new_member_nobody_can_meet_is_not_counted_as_having_met_everyone(programme):
    for name in ("Ada", "Ben", "Cal", "Dee"):
        MembershipFactory(user=UserFactory(profile__display_name=name), programme=programme)
    nell = UserFactory(
        profile__display_name="Nell", profile__meeting_format="in_person", profile__region="wales"
    )
    MembershipFactory(user=nell, programme=programme)

    warnings = _warnings(programme)

    assert not any("exhausted" in w for w in warnings), warnings
    assert any("1 member cannot be placed" in w for w in warnings)


def test_members_who_will_have_met_everyone_they_could_are_still_counted(programme):
    for name in ("Ada", "Ben"):
        MembershipFactory(user=UserFactory(profile__display_name=name), programme=programme)
    nell = UserFactory(
        profile__display_name="Nell", profile__meeting_format="in_person", profile__region="wales"
    )
    MembershipFactory(user=nell, programme=programme)

    warnings = _warnings(programme)

    assert (
        "Pool nearly exhausted: after this round, 2 members will have met everyone eligible."
        in warnings
    )


def test_where_meeting_again_is_allowed_the_warning_says_so():
    # Walk 41: every learning-set preview raised "Pool nearly exhausted" as an alarm,
    # though the next cycle may bring former co-members together again.
    from pairing.rounds import round_preview
    from pairing.templatetags.programme_words import in_words_of
    from tests.pairing.set_helpers import join, learning_set_programme

    programme = learning_set_programme(group_size=4, avoid_same_organisation=False)
    join(programme, 4)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=DAY)

    warnings = [
        in_words_of(w, programme)
        for w in round_preview(pairing_round=pairing_round, today=DAY).warnings
    ]

    assert (
        "Pool nearly exhausted: after this cycle, 4 members will have met everyone eligible; "
        "the next cycle may bring some of them together again, as this programme allows."
    ) in warnings
