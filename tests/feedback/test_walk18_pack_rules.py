"""Walk 18: the rules printed at the end of the pack say why means by role and by round
can be "not shown" even from 5 ratings or more (in as few words as before: the pack
prints on one A4 page)."""

from __future__ import annotations

import pytest

from tests.factories import ProgrammeFactory
from tests.feedback.test_walk18_pack_linked import page

pytestmark = pytest.mark.django_db


def test_the_pack_says_linked_averages_are_protected_too(organiser_client):
    html = page(organiser_client, ProgrammeFactory(kind="mentoring"))

    assert "No share or breakdown of a group of 1 to 4 is shown; an average needs 5 answers" in html
    assert "must not give another away." in html
