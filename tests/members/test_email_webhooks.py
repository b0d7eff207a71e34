"""Mailgun's tracking webhook through django-anymail: a correctly signed permanent failure
or complaint stops email to the address; a bad signature is refused; without a signing
key the URL does not exist."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from members.invitations.mailing import email_hash
from members.invitations.models import InvitationOptOut
from members.models import BouncedEmail, BounceKind, EmailCategory, EmailOptOut

pytestmark = pytest.mark.django_db
KEY = "key-test-mailgun-signing-0123456789"
URL = "/email/mailgun/tracking/"


@pytest.fixture(autouse=True)
def _mailgun(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def mailgun_event(event_data: dict, *, key: str = KEY, token: str = "a1b2c3" * 8) -> str:
    """A payload as Mailgun posts it: the event plus an HMAC-SHA256 of timestamp+token."""
    timestamp = "1764930000"
    digest = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": digest},
            "event-data": {"timestamp": 1764930000.5, "id": "evt-1", **event_data},
        }
    )


PERMANENT_FAILURE = {
    "event": "failed",
    "severity": "permanent",
    "reason": "bounce",
    "recipient": "Ada@Example.org",
    "message": {"headers": {"message-id": "outbox-1@coffee.example.org"}},
    "delivery-status": {"code": 550, "message": "5.1.1 The email account does not exist"},
}


def post(client, body: str):
    return client.post(URL, body, content_type="application/json")


def test_a_signed_permanent_failure_marks_the_address_bounced(client, member):
    response = post(client, mailgun_event(PERMANENT_FAILURE))

    bounce = BouncedEmail.objects.get()
    assert response.status_code == 200
    assert bounce.email == "ada@example.org"
    assert bounce.kind == BounceKind.BOUNCED
    assert bounce.source == "Mailgun"
    assert "does not exist" in bounce.detail


def test_a_signed_complaint_stops_email_to_the_address(client, member):
    post(client, mailgun_event({"event": "complained", "recipient": "ada@example.org"}))

    assert BouncedEmail.objects.get().kind == BounceKind.COMPLAINED


def test_a_temporary_failure_is_not_a_bounce(client, member):
    temporary = {**PERMANENT_FAILURE, "severity": "temporary", "reason": "generic"}

    assert post(client, mailgun_event(temporary)).status_code == 200
    assert not BouncedEmail.objects.exists()


def test_an_unsubscribe_at_the_provider_stops_every_category(client, member):
    post(client, mailgun_event({"event": "unsubscribed", "recipient": "ada@example.org"}))

    assert EmailOptOut.objects.filter(user=member).count() == len(EmailCategory.values)


def test_an_unsubscribe_at_the_provider_from_an_invitation_stops_invitations(client, db):
    post(client, mailgun_event({"event": "unsubscribed", "recipient": "Invitee@example.org"}))

    assert InvitationOptOut.objects.filter(email_hash=email_hash("invitee@example.org")).exists()


def test_a_payload_signed_with_another_key_is_refused(client, member):
    response = post(client, mailgun_event(PERMANENT_FAILURE, key="key-someone-else"))

    assert response.status_code == 400
    assert not BouncedEmail.objects.exists()


def test_a_payload_whose_event_was_changed_after_signing_is_refused(client, member):
    body = json.loads(mailgun_event(PERMANENT_FAILURE))
    body["signature"]["token"] = "f" * 48  # replayed with a new token

    assert post(client, json.dumps(body)).status_code == 400
    assert not BouncedEmail.objects.exists()


def test_without_a_signing_key_the_webhook_does_not_exist(client, settings, member):
    settings.ANYMAIL = {}

    assert post(client, mailgun_event(PERMANENT_FAILURE)).status_code == 404
    assert not BouncedEmail.objects.exists()
