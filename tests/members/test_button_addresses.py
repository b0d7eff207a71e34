"""A button's address opened as a link (after logging in again, from the history or a
bookmark) changes nothing and leads back to the page the button is on, never to a blank
405 page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from pairing.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["membership_skip", "membership_resume"])
def test_a_membership_button_opened_after_logging_in_changes_nothing(
    client, member, programme, action
):
    membership = MembershipFactory(user=member, programme=programme)
    url = reverse(f"pairing:{action}", args=[membership.pk])
    before = Membership.objects.filter(pk=membership.pk).values().get()

    login = client.get(url)
    assert login.status_code == 302 and "login" in login.url
    client.force_login(member)
    response = client.get(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("members:dashboard")
    assert "Nothing was changed: use the button on this page" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).values().get() == before


def test_the_recheck_button_opened_as_a_link_sends_nothing(member_client):
    response = member_client.get(reverse("members:email_recheck"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("members:email_settings")
    assert mail.outbox == []
