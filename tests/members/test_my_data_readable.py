""" "Download my data" reads as the member chose on the forms: choices by their labels
("2-5 years", "In person"), not the database's codes (walk 19: "experience": 1)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from pairing.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_my_data_names_choices_by_their_labels(member_client, member, programme):
    member.profile.experience = 1
    member.profile.meeting_format = "in_person"
    member.profile.save()
    MembershipFactory(user=member, programme=programme)
    Membership.objects.filter(user=member).update(status="paused", paused_until=dt.date(2027, 3, 1))

    data = json.loads(member_client.get(reverse("members:data_export")).content)

    assert data["profile"]["experience"] == "2-5 years"
    assert data["profile"]["meeting_format"] == "In person"
    assert data["memberships"][0]["status"] == "Paused"
