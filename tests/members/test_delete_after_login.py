"""Deleting an account just after logging in does not ask for the password again; later,
or with no login of its own in this session, it does."""

from __future__ import annotations

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _log_in(client, member) -> None:
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302


def test_delete_right_after_logging_in_shows_the_form_without_a_second_password(client, member):
    _log_in(client, member)

    response = client.get(reverse("members:account_delete"))

    assert response.status_code == 200
    assert "delete my account" in response.content.decode()


def test_delete_asks_again_once_the_login_is_more_than_five_minutes_old(client, member):
    _log_in(client, member)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= 301
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    response = client.get(reverse("members:account_delete"))

    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url
