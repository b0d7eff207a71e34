"""Leaving the check page of pasted addresses: "Back: change what I pasted" returns to
the box with the pasted text still in it, "Cancel: send nothing" says nothing was sent;
neither sends anything."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from members.invitations.models import Invitation
from pairing.models import OutboxEmail

pytestmark = pytest.mark.django_db
PASTED = "oops-typo\nJane Doe <jane@example.net>\n"


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _check(client, programme, pasted: str = PASTED):
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    response = client.post(url, {"pasted": pasted}, follow=True)
    return response, programme.invitation_imports.latest("pk")


def _textarea(response) -> str:
    page = response.content.decode()
    return unescape(re.search(r'<textarea name="pasted"[^>]*>\n?(.*?)</textarea>', page, re.S)[1])


def test_back_from_the_check_page_shows_the_pasted_text_again(organiser_client, programme):
    check, invitation_import = _check(organiser_client, programme)

    response = organiser_client.post(
        reverse("admin:members_invitation_import", args=[invitation_import.pk]),
        {"action": "back"},
        follow=True,
    )

    assert "Back: change what I pasted" in check.content.decode()
    assert _textarea(response) == PASTED
    assert "Nothing was sent. Change what you pasted, then check it again." in _text(response)
    assert not Invitation.objects.exists() and not OutboxEmail.objects.exists()


def test_cancel_on_the_check_page_says_nothing_was_sent(organiser_client, programme):
    _check(organiser_client, programme)
    invitation_import = programme.invitation_imports.get()

    response = organiser_client.post(
        reverse("admin:members_invitation_import", args=[invitation_import.pk]),
        {"action": "cancel"},
        follow=True,
    )

    assert "Nothing was sent." in _text(response)
    assert _textarea(response) == ""
    assert not Invitation.objects.exists() and not OutboxEmail.objects.exists()


def test_back_is_offered_when_nobody_on_the_paste_can_be_invited(organiser_client, programme):
    check, invitation_import = _check(organiser_client, programme, "oops-typo")

    response = organiser_client.post(
        reverse("admin:members_invitation_import", args=[invitation_import.pk]),
        {"action": "back"},
        follow=True,
    )

    assert "Nobody on this list can be invited." in _text(check)
    assert _textarea(response) == "oops-typo"


def test_the_send_button_still_sends(organiser_client, programme):
    _, invitation_import = _check(organiser_client, programme)

    response = organiser_client.post(
        reverse("admin:members_invitation_import", args=[invitation_import.pk]),
        {"action": "send"},
        follow=True,
    )

    assert "1 invitation is on its way." in _text(response)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["jane@example.net"]


def test_after_sending_the_pasted_text_is_not_kept_to_show_again(organiser_client, programme):
    _, invitation_import = _check(organiser_client, programme)
    organiser_client.post(reverse("admin:members_invitation_import", args=[invitation_import.pk]))

    response = organiser_client.get(
        reverse("admin:members_invitation_programme", args=[programme.pk]),
        {"change": invitation_import.pk},
    )

    assert _textarea(response) == ""
