"""Walk 24: a programme card on the dashboard with no next date said only "Active"; it
now says the date is not set yet, in the programme's own word (round, or new sets)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "size", "says"),
    [
        ("coffee", 2, "The next round's date is not set yet."),
        ("learning_set", 5, "The date new sets form is not set yet."),
    ],
)
def test_a_card_with_no_next_date_says_it_is_not_set(member_client, member, kind, size, says):
    programme = ProgrammeFactory(kind=kind, group_size=size, next_round_on=None)
    MembershipFactory(user=member, programme=programme)

    page = html.unescape(member_client.get(reverse("members:dashboard")).content.decode())

    assert re.search(rf'id="next-{programme.slug}">([^<]*)<', page).group(1) == says
