"""A replaced external facilitator's email greets them without a made-up name: their
name is not kept once another facilitator is named, and "Hello Facilitator," read as a
form letter."""

from __future__ import annotations

import html

import pytest

from pairing.models import OutboxKind
from pairing.outbox import build_message
from tests.pairing.set_helpers import rows
from tests.pairing.test_learning_set_facilitator import _members, _name, _set

pytestmark = pytest.mark.django_db


def test_the_released_facilitators_email_says_hello_without_a_made_up_name():
    learning_set, organiser = _set(
        facilitation="external", facilitator_email="fran@example.org", facilitator_name="Fran Jones"
    )
    _name(organiser, learning_set, _members(learning_set)[0])

    (released,) = rows(OutboxKind.SESSION_CANCEL, user__isnull=True)
    message = build_message(released)
    text, page = message.body, html.unescape(message.alternatives[0][0])

    assert text.startswith("Hello,\n")
    assert ">Hello,</p>" in page
    assert "Facilitator," not in text + page
    calendar = message.attachments[0][1]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "mailto:fran@example.org" in calendar.replace("\r\n ", "")
    assert "CN=Facilitator" not in calendar and "CN=:" not in calendar


def test_the_external_facilitator_in_post_is_still_greeted_by_name():
    _set(
        facilitation="external", facilitator_email="fran@example.org", facilitator_name="Fran Jones"
    )

    invite = rows(OutboxKind.SESSION_INVITE, user__isnull=True)[0]
    message = build_message(invite)

    assert message.body.startswith("Hello Fran Jones,\n")
