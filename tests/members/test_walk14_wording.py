"""Walk 14: every sentence telling members what partners see lists what the introduction
and the match page show (Region was missing), and the sign-up pages say "log in"."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from pairing.selectors import SharedProfile

pytestmark = pytest.mark.django_db

WHAT_PARTNERS_SEE = (
    "your name, pronouns, job title, role, sector, region, how you would like to meet "
    "(online, in person or either), about me, meeting-access notes and the interests you "
    "have in common"
)
# SharedProfile is what the match page shows a partner; the introduction shows the same.
WORDS = {
    "display_name": "name",
    "pronouns": "pronouns",
    "job_title": "job title",
    "role": "role",
    "sector": "sector",
    "region": "region",
    "meets": "how you would like to meet",
    "about": "about me",
    "access_notes": "meeting-access notes",
}
NOT_PROFILE_LINES = {"user_id", "match_role", "organisation"}


def test_the_sentence_names_every_field_a_partner_is_shown():
    shown = {f.name for f in dataclasses.fields(SharedProfile)} - NOT_PROFILE_LINES

    assert shown == set(WORDS)
    assert all(word in WHAT_PARTNERS_SEE for word in WORDS.values())


@pytest.mark.parametrize(
    ("url", "then"),
    [
        (reverse("members:profile_edit"), ", and your organisation only if you choose"),
        (reverse("members:wizard", args=["about"]), "; your organisation stays private"),
    ],
)
def test_profile_pages_say_partners_see_the_region_too(member_client, url, then):
    page = member_client.get(url).content.decode()

    assert f"Partners you are matched with see {WHAT_PARTNERS_SEE}{then}" in page


def test_the_privacy_notice_says_partners_see_the_region_too(client):
    page = client.get(reverse("privacy")).content.decode()

    assert f"Then they see {WHAT_PARTNERS_SEE}, and your organisation" in page
