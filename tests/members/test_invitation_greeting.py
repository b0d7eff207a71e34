"""An invitation to an address that already has an account greets its owner by the name
they chose, not the name on the organiser's list."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from pairing.outbox import build_message
from tests.factories import UserFactory
from tests.members.test_invitation_links import invite, outbox_for

pytestmark = pytest.mark.django_db


def test_an_existing_member_is_greeted_by_their_account_name(programme):
    UserFactory(email="tim@example.org", profile__display_name="Tim Hopper")
    invitation = invite(programme, email="tim@example.org", name="Tim Again")

    message = build_message(outbox_for(invitation))

    assert "Hello Tim Hopper," in message.body
    assert "Hello Tim Hopper," in message.alternatives[0].content
    assert "Tim Again" not in message.body


def test_an_address_that_is_another_of_a_members_addresses_uses_the_members_name(programme):
    tim = UserFactory(email="tim@example.org", profile__display_name="Tim Hopper")
    EmailAddress.objects.create(user=tim, email="t.hopper@library.example", verified=True)
    invitation = invite(programme, email="t.hopper@library.example", name="Tim Again")

    message = build_message(outbox_for(invitation))

    assert "Hello Tim Hopper," in message.body


def test_someone_without_an_account_is_greeted_by_the_name_on_the_list(programme):
    invitation = invite(programme, email="new@example.org", name="Nell New")

    message = build_message(outbox_for(invitation))

    assert "Hello Nell New," in message.body


def test_an_existing_member_is_asked_to_log_in_not_to_sign_up(programme):
    UserFactory(email="tim@example.org", profile__display_name="Tim Hopper")
    invitation = invite(programme, email="tim@example.org", name="Tim Again")

    message = build_message(outbox_for(invitation))

    assert "log in and join" in message.body and "Sign up" not in message.body
    assert "Log in and join" in message.alternatives[0].content
