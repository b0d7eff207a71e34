"""A broken invitation link gets the page in words every other broken email link gets
("This link does not work"), never a bare "Not Found"; it says nothing about whom a real
invitation was for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory
from tests.members.test_invitation_links import invite, link_path

pytestmark = pytest.mark.django_db


def _says_the_link_does_not_work(response) -> str:
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>This link does not work</h1>" in page
    assert "Copy the whole link from the email" in page
    assert f'href="{reverse("pairing:programme_list")}"' in page
    return page


def test_a_garbage_invitation_link_says_the_link_does_not_work(client):
    _says_the_link_does_not_work(client.get("/invitations/garbage/"))


def test_a_garbage_invitation_log_in_link_says_the_same(client):
    response = client.get("/invitations/garbage/login/", follow=True)

    _says_the_link_does_not_work(response)


def test_an_invitation_deleted_since_says_the_link_does_not_work(client):
    invitation = invite(ProgrammeFactory())
    path = link_path(invitation)
    invitation.delete()

    _says_the_link_does_not_work(client.get(path))


def test_a_link_opened_logged_in_as_someone_else_says_so_without_naming_the_invitee(
    other_client,
):
    invitation = invite(ProgrammeFactory(name="Search buddies"), email="ada@example.org")

    response = other_client.get(link_path(invitation))
    page = response.content.decode()

    assert response.status_code == 404
    assert "You are logged in as grace@example.org" in page
    assert "log out, then open the link again" in page
    assert "ada@example.org" not in page and "Search buddies" not in page
