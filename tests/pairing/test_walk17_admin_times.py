"""The admin writes times on the 24-hour clock, as the site's own pages do."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_memberships_list_shows_when_members_joined_on_the_24_hour_clock(organiser_client):
    membership = MembershipFactory()
    joined = dt.datetime(2026, 12, 1, 22, 43, tzinfo=dt.UTC)  # London is on UTC in December
    Membership.objects.filter(pk=membership.pk).update(joined_at=joined)

    body = organiser_client.get("/admin/pairing/membership/").content.decode()

    assert "1 Dec 2026, 22:43" in body
    assert "p.m." not in body
