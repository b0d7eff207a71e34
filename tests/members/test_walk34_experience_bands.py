"""Walk 34: the profile's experience options "2-5 years" and "5-15 years" overlapped at
5 (and "15 years or more" at 15), and the first said nothing of years. The wizard now
offers bands that do not overlap (the stored values are unchanged: only the labels moved)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_wizard_offers_experience_bands_that_do_not_overlap(member_client):
    page = html.unescape(
        member_client.get(reverse("members:wizard", args=["about"])).content.decode()
    )
    select = re.search(r'<select name="experience".*?</select>', page, re.S).group(0)

    labels = re.findall(r"<option value=\"\d\"[^>]*>([^<]+)</option>", select)

    assert labels == [
        "Student, or under 2 years",
        "2-5 years",
        "6-15 years",
        "More than 15 years",
    ]
