"""An announcement's subject names the programme once: appended only when the
organiser's subject does not already contain it (in any case)."""

from __future__ import annotations

import pytest
from django.test import Client

from members.invitations import services
from pairing.models import OutboxEmail
from pairing.outbox import build_message
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.members.test_announcements import preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def yorkshire():
    programme = ProgrammeFactory(name="Yorkshire library coffee")
    MembershipFactory(user=UserFactory(email="anna@example.org"), programme=programme)
    return programme


def _subject(programme, subject: str, organiser) -> str:
    services.announcement_send(
        programme=programme, subject=subject, body="Hello all.", nonce=subject, by=organiser
    )
    return build_message(OutboxEmail.objects.latest("pk")).subject


def test_a_subject_that_names_the_programme_is_not_followed_by_it_again(yorkshire, organiser):
    subject = _subject(yorkshire, "Welcome to Yorkshire library coffee", organiser)

    assert subject == "Welcome to Yorkshire library coffee"


def test_the_programme_name_in_another_case_counts_as_named(yorkshire, organiser):
    subject = _subject(yorkshire, "Welcome to YORKSHIRE Library Coffee!", organiser)

    assert subject == "Welcome to YORKSHIRE Library Coffee!"


def test_a_subject_without_the_programme_name_still_gets_it(yorkshire, organiser):
    subject = _subject(yorkshire, "December chats", organiser)

    assert subject == "December chats \u2014 Yorkshire library coffee"


def test_the_preview_shows_the_subject_once(organiser, yorkshire):
    yorkshire.organisers.add(organiser)
    client = Client()
    client.force_login(organiser)

    page = preview(client, yorkshire, subject="Welcome to Yorkshire library coffee")

    assert (
        "<strong>Subject:</strong> Welcome to Yorkshire library coffee</p>" in page.content.decode()
    )
