"""The pack's mentoring means by role are not shown beside 1-4 ratings from deleted
accounts: with the headline's mean and both sides' means and counts, the deleted
members' ratings would be narrowed down (walk 19)."""

from __future__ import annotations

import pytest

from pairing.models import MatchMember
from tests.feedback.test_walk18_pack_linked import page
from tests.feedback.test_walk18_pack_means import MENTEES, MENTORS, mentoring_figures, one_round

pytestmark = pytest.mark.django_db


def test_one_deleted_raters_rating_hides_both_sides_means_in_the_pack(organiser_client):
    programme = one_round(6, [4, 4, 3, 3, 4, 5], [5, 4, 5, 4, 5, 2])
    # The sixth mentor's account is deleted: their rating stays, without a role.
    gone = MatchMember.objects.filter(
        match__pairing_round__programme=programme, role="offer"
    ).order_by("pk")[5]
    gone.user.delete()

    pack = page(organiser_client, programme)
    figures = mentoring_figures(pack)

    assert figures[MENTEES] == "not shown"
    assert figures[MENTORS] == "not shown"
