"""A used invitation link opened later in a fresh browser lands on the log-in page with a
message saying the invitation was used to join, not on a bare log-in page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from pairing.models import MembershipStatus
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.members.test_invitation_links import invite, link_path

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_used_invitation_link_says_it_was_used_and_how_to_continue(client):
    programme = ProgrammeFactory(name="Yorkshire library coffee")
    invitation = invite(programme, email="ada@example.org")
    ada = UserFactory(email="ada@example.org")
    MembershipFactory(user=ada, programme=programme, status=MembershipStatus.ACTIVE)

    response = client.get(link_path(invitation), follow=True)

    text = _text(response)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert (
        "This invitation has already been used to join Yorkshire library coffee. Log in to "
        "continue (forgotten your password? Reset it from the log-in page)." in text
    )
    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()


def test_an_unused_invitation_link_has_no_such_message(client):
    invitation = invite(ProgrammeFactory(), email="ada@example.org")

    text = _text(client.get(link_path(invitation), follow=True))

    assert "already been used" not in text
