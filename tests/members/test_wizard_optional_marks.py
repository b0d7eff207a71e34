"""Every profile answer that may be left empty is marked "Optional", and the required
ones are not (walk 21: step 1 marked Pronouns but not Job title or Organisation)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _help(page: str, field: str) -> str:
    found = re.search(rf'<div class="helptext" id="id_{field}_helptext">(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def test_the_first_step_marks_each_optional_answer_and_no_required_one(client, member):
    member.profile.wizard_done_at = None
    member.profile.save()
    client.force_login(member)

    page = client.get(reverse("members:wizard", args=["about"])).content.decode()

    assert _help(page, "job_title") == "Optional."
    assert _help(page, "organisation").startswith(
        "Optional. Used so you are not paired with colleagues."
    )
    assert _help(page, "pronouns") == "Optional, e.g. she/her, they/them."
    for required in ("display_name", "sector", "experience"):
        assert not _help(page, required).startswith("Optional"), required


def test_the_last_step_marks_about_me_optional_and_interests_not(client, member):
    client.force_login(member)

    page = client.get(reverse("members:wizard", args=["interests"])).content.decode()

    assert _help(page, "about").startswith("Optional. A few lines partners will read")
    assert not _help(page, "interests").startswith("Optional")
