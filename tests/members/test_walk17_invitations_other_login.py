"""An intact invitation link opened while logged in as another member: the page says the
likely cause first (whose login this is), offers a real log-out button that comes back to
the link, and still says nothing about whom the invitation was for. A broken link keeps
its own words."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ProgrammeFactory
from tests.members.test_invitation_links import invite, link_path

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_link_opened_logged_in_as_another_member_says_whose_login_it_is(other_client):
    invitation = invite(ProgrammeFactory(name="Search buddies"), email="ada@example.org")

    response = other_client.get(link_path(invitation))

    text = _text(response)
    assert response.status_code == 404
    assert "You are logged in as grace@example.org." in text
    assert "An invitation link works only for the person it was sent to" in text
    assert "not complete or has been changed" not in text
    assert "ada@example.org" not in text and "Search buddies" not in text


def test_the_log_out_button_logs_out_and_opens_the_link_again(other_member):
    invitation = invite(ProgrammeFactory(), email="ada@example.org")
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_member)
    # One link, made once: its signature carries the second it was made in.
    path = link_path(invitation)
    page = client.get(path).content.decode()
    form = page.split(f'action="{reverse("account_logout")}"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    next_url = re.search(r'name="next" value="([^"]+)"', form)[1]

    response = client.post(
        reverse("account_logout"),
        {"csrfmiddlewaretoken": token, "next": next_url},
        follow=True,
    )

    assert "Log out and open the link again" in page
    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == path
    assert 'value="ada@example.org"' in response.content.decode()  # the invitee's sign-up


def test_a_broken_link_with_nobody_logged_in_keeps_its_words(client):
    response = client.get("/invitations/garbage/")

    text = _text(response)
    assert "This invitation link is not complete or has been changed." in text
    assert "logged in as" not in text
