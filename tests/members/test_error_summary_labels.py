"""The error summary's entries are one link each, to the field: a label that holds a link
(the sign-up's "I agree to the code of conduct") used to split an entry into two links,
one of them opening the code of conduct instead of going to the box (walk 21)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_empty_sign_up_lists_each_problem_as_one_link_to_its_field(client):
    response = client.post(reverse("account_signup"), {})

    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    entries = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert entries
    for entry in entries:
        assert entry.count("<a ") == 1, entry
        assert re.fullmatch(r'<a href="#id_[a-z_0-9]+">[^<]+</a>', entry.strip()), entry
    assert any(
        "I agree to the code of conduct: Please accept the code of conduct to join." in e
        for e in entries
    )
