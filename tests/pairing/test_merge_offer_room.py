"""The organiser's sets page offers a merge only into a set with room: a set of 3 beside a
set of 5 (8, more than the 7 a set can have) is told no set has room, not offered a merge
that is then refused (walk 19)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.pairing.test_learning_set_pages import client_for
from tests.pairing.test_walk10_sets import _sets_of_five_and_three

pytestmark = pytest.mark.django_db


def test_a_small_set_with_no_set_to_fit_into_is_offered_no_merge():
    mine, _into, organiser = _sets_of_five_and_three()

    page = client_for(organiser).get(reverse("admin:pairing_cycle_sets", args=[mine.cycle_id]))
    html = page.content.decode()

    assert f'id="into-{mine.pk}"' not in html
    assert "No other set has room for its 3 members (a set can have at most 7)" in html
