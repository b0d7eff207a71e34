""" "Send again" asks first, and the email it sends says it is the one reminder; the link in
the first email keeps working until its own date (the same invitation, the same person),
the new link until the resend's date."""

from __future__ import annotations

import datetime as dt
import re
import time
from html import unescape
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pairing.models import OutboxEmail
from pairing.outbox import build_message
from tests.factories import ProgrammeFactory
from tests.members.test_invitation_links import invite, link_path, outbox_for

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def sent(organiser):
    programme = ProgrammeFactory(name="Yorkshire library coffee")
    invitation = invite(programme, email="ada@example.org", by=organiser)
    outbox_for(invitation)
    return invitation


def _resend_url(invitation) -> str:
    return reverse("admin:members_invitation_resend", args=[invitation.pk])


def test_send_again_asks_first_and_sends_nothing_until_yes(organiser_client, sent):
    listing = organiser_client.get(
        reverse("admin:members_invitation_programme", args=[sent.programme_id])
    )

    confirm = organiser_client.get(_resend_url(sent))

    assert f'href="{_resend_url(sent)}"' in listing.content.decode()
    assert "Send a reminder to ada@example.org?" in _text(confirm)
    assert "Yes, send the reminder" in _text(confirm)
    assert "An invitation can be sent again only once" in _text(confirm)
    assert OutboxEmail.objects.count() == 1


def test_a_post_without_yes_only_asks(organiser_client, sent):
    response = organiser_client.post(_resend_url(sent))

    assert "Yes, send the reminder" in _text(response)
    assert OutboxEmail.objects.count() == 1


def test_yes_sends_the_reminder_once(organiser_client, sent):
    response = organiser_client.post(_resend_url(sent), {"confirmed": "yes"}, follow=True)

    assert "A reminder with a new link is on its way to ada@example.org." in _text(response)
    assert OutboxEmail.objects.filter(key=f"invitation:{sent.pk}:2").exists()
    again = organiser_client.get(_resend_url(sent))
    assert "Yes, send the reminder" not in _text(again)
    assert "once is the limit" in _text(again)


def test_the_resent_email_says_it_is_a_reminder(organiser_client, sent):
    organiser_client.post(_resend_url(sent), {"confirmed": "yes"})
    first = build_message(OutboxEmail.objects.get(key=f"invitation:{sent.pk}:1"))

    reminder = build_message(OutboxEmail.objects.get(key=f"invitation:{sent.pk}:2"))

    assert reminder.subject == (
        "A reminder: Olive Organiser invites you to join Yorkshire library coffee"
    )
    assert first.subject == "Olive Organiser invites you to join Yorkshire library coffee"
    lines = [line for line in reminder.body.splitlines() if line.strip()]
    assert lines[1].startswith("A reminder: this invitation was first sent on")
    assert "This is the only reminder" in lines[1]
    html = reminder.alternatives[0].content
    assert "<strong>A reminder:</strong> this invitation was first sent on" in html
    assert "A reminder" not in first.body


def test_the_confirm_page_says_the_first_link_keeps_working_and_it_does(
    client, organiser_client, sent
):
    old_link = link_path(sent)
    confirm = organiser_client.get(_resend_url(sent))
    organiser_client.post(_resend_url(sent), {"confirmed": "yes"})

    response = client.get(old_link)

    until = f"{timezone.localtime(sent.expires_at):%-d %B %Y}"
    assert f"The link in the first email keeps working until {until}" in _text(confirm)
    assert response.status_code == 200
    assert 'value="ada@example.org"' in response.content.decode()


def test_an_expired_first_link_is_said_to_be_replaced_and_says_to_use_the_newer_one(
    client, organiser_client, organiser
):
    days = settings.INVITATION_EXPIRY_DAYS + 1
    invitation = invite(ProgrammeFactory(), by=organiser, days=-1)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400):
        old_link = link_path(invitation)
    outbox_for(invitation)
    confirm = organiser_client.get(_resend_url(invitation))
    organiser_client.post(_resend_url(invitation), {"confirmed": "yes"})
    invitation.refresh_from_db()

    response = client.get(old_link)

    assert "The link in the first email has expired: only the new one works." in _text(confirm)
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=days - 2)
    assert "This invitation has expired" in _text(response)
    assert "If you were sent a newer invitation, use its link" in _text(response)
    assert client.get(link_path(invitation)).status_code == 200  # the reminder's link
