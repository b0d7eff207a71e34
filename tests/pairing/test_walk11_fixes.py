"""Faults found by the eleventh browser walk (coffee and organiser journeys)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing import rounds
from pairing.models import LeftOut, WhenAllMet
from pairing.rounds.pool import Rules, last_met, partners_met, unmet_counts
from tests.pairing.matching_helpers import SHAPES, random_problem
from tests.pairing.matching_helpers import Rules as CheckRules
from tests.pairing.set_helpers import join

pytestmark = pytest.mark.django_db

START = dt.date(2026, 12, 7)


def _round(programme, week: int, preview: bool = True):
    day = START + dt.timedelta(weeks=week)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    if preview:
        rounds.round_preview(pairing_round=pairing_round, today=day)
        pairing_round.refresh_from_db()
    return rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    )


def _groups(pairing_round) -> list[set[int]]:
    return [{m.user_id for m in match.members.all()} for match in pairing_round.matches.all()]


def _in_person_pair_and_online_others(programme):
    """Carys and Gráinne meet in person only, in London; four others online only,
    elsewhere: the two can only ever meet each other."""
    carys, grainne = join(programme, 2, meeting_format="in_person", region="london")
    join(programme, 4, meeting_format="online", region="wales")
    return carys, grainne


def test_two_in_person_members_who_can_only_meet_each_other_meet_again_each_round(programme):
    # Walk 11: "Meet again the partner met longest ago" left both out in every round
    # after the first, told they had met everyone, while the preview said "7 not yet met".
    programme.when_all_met = WhenAllMet.REPEAT
    programme.save()
    carys, grainne = _in_person_pair_and_online_others(programme)

    for week in range(3):
        pairing_round = _round(programme, week)
        assert {carys.pk, grainne.pk} in _groups(pairing_round), week
        assert not LeftOut.objects.filter(pairing_round=pairing_round).exists()


def test_when_they_sit_out_they_are_told_they_have_met_everyone_they_could(programme):
    programme.when_all_met = WhenAllMet.SIT_OUT
    programme.save()
    carys, grainne = _in_person_pair_and_online_others(programme)
    _round(programme, 0)

    second = _round(programme, 1)

    left = {lo.user_id for lo in LeftOut.objects.filter(pairing_round=second)}
    assert left == {carys.pk, grainne.pk}


def test_the_not_yet_met_count_counts_only_those_a_member_could_meet(programme):
    carys, _grainne = _in_person_pair_and_online_others(programme)
    online = join(programme, 1, meeting_format="online", region="wales")[0]
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    problem = rounds.round_problem(
        pairing_round=pairing_round, memberships=list(programme.memberships.all())
    )

    unmet = unmet_counts(problem)

    assert unmet[str(carys.pk)] == 1  # Gráinne, not the five who meet online elsewhere
    assert unmet[str(online.pk)] == 4


@pytest.mark.parametrize("shape", SHAPES)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 30), avoid=st.booleans())
@settings(max_examples=25, deadline=None)
def test_the_not_yet_met_count_is_the_brute_force_count_of_allowed_partners(shape, seed, n, avoid):
    # The count is made per kind of member, organisation and block (a national network
    # has 5,000 members); here every pair is checked one at a time by the test's own rules.
    problem = random_problem(random.Random(seed), n, shape)
    problem["programme"]["avoid_same_organisation"] = avoid
    met = partners_met(last_met(problem["history"], {m["id"] for m in problem["members"]}))
    checker = CheckRules({**problem, "history": []})
    ids = [m["id"] for m in problem["members"]]

    expected = {
        a: sum(1 for b in ids if b not in met.get(a, set()) and checker.allowed(a, b)) for a in ids
    }

    assert Rules(problem).unmet(met) == expected
