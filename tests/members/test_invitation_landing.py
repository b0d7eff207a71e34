"""Where an invitee lands: the invitation promises "you will land on the programme's
page", so the profile wizard ends there (not on the list of every programme)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from pairing.models import Membership
from tests.factories import InterestFactory, ProgrammeFactory
from tests.members.test_invitation_links import invite, link_path, signup_data
from tests.members.test_profile import STEP1, STEP2

pytestmark = pytest.mark.django_db


def _sign_up_and_verify(client, invitation) -> None:
    client.post(link_path(invitation), signup_data())
    code = re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    client.post(reverse("account_email_verification_sent"), {"code": code})


def _finish_wizard(client):
    client.post(reverse("members:wizard", args=["about"]), STEP1)
    client.post(reverse("members:wizard", args=["meeting"]), STEP2)
    topic = InterestFactory(name="Wizard topic")
    return client.post(
        reverse("members:wizard", args=["interests"]), {"interests": [topic.pk], "about": "Hi"}
    )


def test_an_invitee_who_fills_in_the_profile_lands_on_the_invited_programme(client):
    programme = ProgrammeFactory(name="Search buddies", slug="search-buddies")
    _sign_up_and_verify(client, invite(programme))

    last = _finish_wizard(client)

    assert last.url == reverse("pairing:programme_detail", args=[programme.slug])
    page = client.get(last.url).content.decode()
    assert "Your profile is ready. Now join the programme below." in page
    assert "Join Search buddies" in page
    assert not Membership.objects.exists()  # joining stays their own action


def test_an_invitee_who_joined_before_the_profile_goes_to_the_dashboard_after_it(client):
    programme = ProgrammeFactory(name="Search buddies", slug="search-buddies")
    _sign_up_and_verify(client, invite(programme))
    client.post(reverse("pairing:programme_detail", args=[programme.slug]), {})

    last = _finish_wizard(client)

    assert Membership.objects.get().programme == programme
    assert last.url == reverse("members:dashboard")
