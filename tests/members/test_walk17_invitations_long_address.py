"""An address longer than any address can be (the walk pasted a 300-character local part)
is a line to fix on the check page, with its reason, and is never invited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.invitations.models import Invitation
from pairing.models import OutboxEmail
from tests.members.test_invitation_pasted import check_page, table_rows

pytestmark = pytest.mark.django_db
TOO_LONG = "Longer than an email address can be (at most 64 characters before the @, 254 in all)."


def test_a_300_character_local_part_is_a_line_to_fix_not_an_invitation(organiser_client, programme):
    long_address = "a" * 300 + "@example.net"

    page = check_page(organiser_client, programme, f"{long_address}\nJane Doe <jane@example.net>")

    assert table_rows(page, "Addresses that will not be invited") == [
        ["1", long_address[:200], TOO_LONG]
    ]
    assert table_rows(page, "Who will be invited") == [
        ["2", "Jane Doe", "jane@example.net", "", ""]
    ]


def test_sending_after_a_too_long_address_invites_only_the_good_line(organiser_client, programme):
    check_page(organiser_client, programme, "a" * 65 + "@example.net\njane@example.net")
    invitation_import = programme.invitation_imports.get()

    response = organiser_client.post(
        reverse("admin:members_invitation_import", args=[invitation_import.pk]), follow=True
    )

    assert "1 invitation is on its way." in response.content.decode()
    assert list(Invitation.objects.values_list("email", flat=True)) == ["jane@example.net"]
    assert OutboxEmail.objects.count() == 1


def test_an_address_over_254_characters_in_all_is_refused(organiser_client, programme):
    long_domain = ".".join(["b" * 60] * 4) + ".net"  # valid labels, 248 characters
    address = "a" * 10 + "@" + long_domain

    page = check_page(organiser_client, programme, f"{address}\njane@example.net")

    assert table_rows(page, "Addresses that will not be invited")[0][2] == TOO_LONG


def test_an_address_of_64_before_the_at_is_invited(organiser_client, programme):
    address = "a" * 64 + "@example.net"

    page = check_page(organiser_client, programme, address)

    assert table_rows(page, "Who will be invited") == [["1", "(no name)", address, "", ""]]
