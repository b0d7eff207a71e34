"""A preview's draft re-checked after someone left (a walk): those the matching had left
out of the old pool are placed again where they now can be, and told the reason that
holds now, not the draft's ("an odd number are taking part" when the number is even)."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from pairing.models import LeftOut, MembershipStatus, WhenAllMet
from tests.pairing.set_helpers import join

pytestmark = pytest.mark.django_db

START = dt.date(2026, 12, 7)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _pairs(pairing_round) -> list[set[int]]:
    return [{m.user_id for m in match.members.all()} for match in pairing_round.matches.all()]


def test_a_member_left_out_of_the_draft_is_placed_again_once_someone_leaves(programme):
    programme.when_all_met = WhenAllMet.REPEAT
    programme.save()
    lara, leo = join(programme, 2, meeting_format="in_person", region="london")
    join(programme, 4, meeting_format="online", region="wales")
    first = rounds.round_plan(programme=programme, scheduled_for=START)
    rounds.round_run(pairing_round=first, now=_at(START))
    assert {lara.pk, leo.pk} in _pairs(first)
    # Nina joins, nearby: the preview pairs her with one of them and leaves the other out.
    (nina,) = join(programme, 1, meeting_format="in_person", region="london")
    day = START + dt.timedelta(weeks=4)
    second = rounds.round_plan(programme=programme, scheduled_for=day)
    preview = rounds.round_preview(pairing_round=second, today=day)
    (left_before,) = [u["membership"].user_id for u in preview.unplaced]
    assert left_before in {lara.pk, leo.pk}

    # Nina leaves before the round runs; the organiser opens the preview again, then runs.
    programme.memberships.filter(user=nina).update(status=MembershipStatus.LEFT)
    second.refresh_from_db()
    again = rounds.round_preview(pairing_round=second, today=day)
    assert again.unplaced == []
    assert any("stopped taking part" in w for w in again.warnings)
    second.refresh_from_db()
    ran = rounds.round_run(pairing_round=second, now=_at(day))

    assert {lara.pk, leo.pk} in _pairs(ran)
    assert not LeftOut.objects.filter(pairing_round=ran).exists()
