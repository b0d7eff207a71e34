"""The leave page's "Stay" goes back to the programme's own card on the dashboard, and
"Back to your dashboard" after leaving to the programmes section (walk 21: focus came
back at the top of the page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_stay_and_back_return_to_where_the_member_was(client, member, programme):
    membership = MembershipFactory(user=member, programme=programme)
    client.force_login(member)
    url = reverse("pairing:membership_leave", args=[membership.pk])
    dashboard = reverse("members:dashboard")

    asking = client.get(url).content.decode()
    assert f'href="{dashboard}#membership-{programme.slug}">Stay</a>' in asking

    client.post(url)
    left = client.get(url).content.decode()  # the page of a programme already left
    assert "You have left" in left
    assert f'href="{dashboard}#programmes">Back to your dashboard</a>' in left
