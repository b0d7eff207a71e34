"""Walk 14: the account pages say "log in" and "log out", as the menu does, and the log-in
page starts with its doctype (a three-line comment was sent as text before it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.members.test_signup import SIGNUP

pytestmark = pytest.mark.django_db


def test_the_sign_up_page_asks_members_with_an_account_to_log_in(client):
    body = client.get(reverse("account_signup")).content.decode()

    assert "Already have an account? Then please" in body
    assert "log in</a>." in " ".join(body.split())
    assert "sign in" not in body.lower()


def test_the_log_in_page_starts_with_its_doctype(client):
    body = client.get(reverse("account_login")).content.decode()

    assert body.lstrip().startswith("<!DOCTYPE html>")
    assert "allauth's login page" not in body


def test_the_log_out_page_says_log_out(member_client):
    body = member_client.get(reverse("account_logout")).content.decode()

    assert "Are you sure you want to log out?" in body
    assert "sign out" not in body.lower()


def test_logging_in_and_out_are_confirmed_in_the_sites_words(client, member):
    logged_in = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery"},
        follow=True,
    )
    logged_out = client.post(reverse("account_logout"), follow=True)

    assert "You are logged in as Ada Lovelace." in logged_in.content.decode()
    assert "You have logged out." in logged_out.content.decode()


def test_the_verification_email_asks_to_log_in_on_another_device(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)

    assert "Log in there instead" in mailoutbox[-1].body
