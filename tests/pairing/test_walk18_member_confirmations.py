"""Walk 18: the confirmation after pausing names the programme (skip, resume and leave
already did): a member in two programmes must know which one they paused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_pausing_one_of_two_programmes_names_the_one_paused(member_client, member):
    MembershipFactory(user=member, programme=ProgrammeFactory(name="North West coffee"))
    yorkshire = MembershipFactory(
        user=member, programme=ProgrammeFactory(name="Yorkshire library coffee")
    )
    until = timezone.localdate() + dt.timedelta(days=30)

    response = member_client.post(
        reverse("pairing:membership_pause", args=[yorkshire.pk]),
        {"until": until.isoformat()},
        follow=True,
    )

    assert (
        f"Paused Yorkshire library coffee until {until.day} {until:%B %Y}. "
        "We will include you again from then." in response.content.decode()
    )
