"""The privacy notice and the delete-account page say what deleting an account does to
search strategies, uploaded files, strategy reviews and learning-set check-ins, as the
code does it (`members.services.member_delete`)."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from tests.factories import UserFactory
from tests.members.test_walk18_delete_page import in_a_learning_set, shared_a_strategy

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def _text(response) -> str:
    words = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html.unescape(words).split())


def test_the_delete_page_says_what_happens_to_strategies_files_reviews_and_check_ins(client, db):
    # Each paragraph is for a member it applies to (walk 18): one who has all three.
    member = in_a_learning_set()
    partner = UserFactory()
    shared_a_strategy(member, partner)
    shared_a_strategy(partner, member)
    client.force_login(member)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = _text(client.get(reverse("members:account_delete")))

    assert "Search strategies you shared for review are deleted" in page
    assert "any file you uploaded" in page
    assert "A review a partner wrote of your strategy stays in their own record" in page
    assert "Reviews you wrote of a partner's strategy stay with that partner" in page
    assert "you leave it first" in page
    assert "what you wrote (your reflection) is erased" in page


def test_the_privacy_notice_says_what_happens_to_strategies_files_reviews_and_check_ins(client):
    page = _text(client.get(reverse("privacy")))

    assert "every version and any file you upload, are deleted when you delete your account" in page
    assert "it stays in their record, without your strategy" in page
    assert "stay in your own record (your CPD record and your data) until you delete" in page
    assert "Your check-in reflections are erased" in page
    assert "your end-of-cycle evaluation answers stay without your name" in page
