"""Walk 14: an email link opened while logged in as another member is a 404 that changes
nothing, as the one-click skip and pause links are; logged out it still works."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from members.mailing import recheck_token, unsubscribe_token
from members.models import BouncedEmail, BounceKind, EmailOptOut

pytestmark = pytest.mark.django_db


def unsubscribe_url(user, category: str = "notices") -> str:
    return f"/email/unsubscribe/{unsubscribe_token(user_id=user.pk, category=category)}/"


def test_an_unsubscribe_link_confirmed_by_another_member_is_a_404_that_changes_nothing(
    other_client, member
):
    response = other_client.post(unsubscribe_url(member), {"action": "unsubscribe"})

    assert response.status_code == 404
    assert b"This link is for someone else" in response.content
    assert b"You are unsubscribed" not in response.content
    assert not EmailOptOut.objects.exists()


def test_an_unsubscribe_link_opened_by_another_member_does_not_show_the_owners_choice(
    other_client, member
):
    EmailOptOut.objects.create(user=member, category="notices")

    response = other_client.get(unsubscribe_url(member))

    assert response.status_code == 404
    assert b"unsubscribed" not in response.content.lower()


def test_another_member_cannot_resubscribe_the_links_owner(other_client, member):
    EmailOptOut.objects.create(user=member, category="notices")

    other_client.post(unsubscribe_url(member), {"action": "resubscribe"})

    assert EmailOptOut.objects.filter(user=member, category="notices").exists()


def test_the_owner_logged_in_can_still_unsubscribe(member_client, member):
    response = member_client.post(unsubscribe_url(member), {"action": "unsubscribe"})

    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert EmailOptOut.objects.filter(user=member, category="notices").exists()


def test_one_click_post_with_no_login_still_unsubscribes(member):
    client = Client(enforce_csrf_checks=True)

    response = client.post(unsubscribe_url(member), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=member, category="notices").exists()


def test_an_address_check_link_opened_by_another_member_is_a_404_without_the_address(
    other_client, member
):
    BouncedEmail.objects.create(
        email=member.email, kind=BounceKind.BOUNCED, source="smtp", bounced_at=timezone.now()
    )

    response = other_client.post(f"/email/confirm/{recheck_token(member)}/")

    assert response.status_code == 404
    assert member.email.encode() not in response.content
    assert BouncedEmail.objects.filter(email=member.email).exists()
