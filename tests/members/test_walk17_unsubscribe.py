"""Walk 17: the unsubscribe page sends a member who is already logged in as the link's
owner straight to their email settings, without "(after logging in)"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.mailing import unsubscribe_token

pytestmark = pytest.mark.django_db


def unsubscribe_url(user, category: str = "notices") -> str:
    return f"/email/unsubscribe/{unsubscribe_token(user_id=user.pk, category=category)}/"


def test_the_owner_logged_in_is_not_told_to_log_in_for_their_email_settings(member_client, member):
    response = member_client.get(unsubscribe_url(member))

    assert response.status_code == 200
    settings_link = f'<a href="{reverse("members:email_settings")}">your email settings</a>.'
    assert settings_link.encode() in response.content
    assert b"after logging in" not in response.content


def test_the_owner_logged_in_after_unsubscribing_is_not_told_to_log_in(member_client, member):
    response = member_client.post(unsubscribe_url(member), {"action": "unsubscribe"})

    assert b"You are unsubscribed" in response.content
    assert b"after logging in" not in response.content


def test_a_logged_out_visitor_is_still_told_to_log_in_for_the_settings(client, member):
    response = client.get(unsubscribe_url(member))

    assert response.status_code == 200
    assert b"your email settings</a> (after logging in)." in response.content
