"""The email settings page says what each kind of email holds, and its button is the
page's main action (walk 21: "Round notices" alone said nothing; "Save" looked secondary)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from members.models import EmailCategory, EmailOptOut

pytestmark = pytest.mark.django_db


def test_each_choice_says_what_it_holds_and_saving_still_works(client, member):
    client.force_login(member)
    url = reverse("members:email_settings")

    page = html.unescape(client.get(url).content.decode())

    assert (
        "Round and cycle notices: the day before a round runs or a learning set's new sets "
        "form, why you were left out of one"
    ) in page
    assert "Reminders and follow-ups: “did you meet?” after an introduction" in page
    assert "calendar invitations and changes for your learning-set sessions" in page
    assert "Announcements from your programmes' organisers: news the organisers send" in page
    assert '<button type="submit" class="primary">Save my email settings</button>' in page

    client.post(url, {"receive": ["reminders", "updates", "announcements"]})

    assert list(EmailOptOut.objects.filter(user=member).values_list("category", flat=True)) == [
        EmailCategory.NOTICES
    ]
