"""Walk 24: the concern form on a match page says "Your partner is not told" only while
there is a partner; beside one who deleted their account ("The person you were to
meet") it, and the thanks after sending, say nothing of them."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from pairing.models import MatchMember
from tests.factories import MembershipFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", body))


def _help(client, member, match) -> str:
    client.force_login(member)
    page = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    return html.unescape(re.search(r'id="id_text_helptext"[^>]*>(.*?)</', page, re.S).group(1))


@pytest.fixture
def pair(programme, member, other_member):
    for user in (member, other_member):
        MembershipFactory(user=user, programme=programme)
    return make_match(done_round(programme, finished_at=RAN), member, other_member)


def test_the_concern_form_says_a_partner_with_an_account_is_not_told(client, member, pair):
    assert _help(client, member, pair) == (
        "Only the organisers read this. Your partner is not told. Up to 2,000 characters."
    )


def test_the_concern_form_does_not_speak_of_a_partner_who_deleted_their_account(
    client, member, other_member, pair
):
    MatchMember.objects.filter(match=pair, user=other_member).update(user=None)

    assert _help(client, member, pair) == "Only the organisers read this. Up to 2,000 characters."


def test_the_thanks_for_a_concern_leaves_out_a_deleted_partner(client, member, other_member, pair):
    MatchMember.objects.filter(match=pair, user=other_member).update(user=None)
    client.force_login(member)

    response = client.post(
        reverse("pairing:match_concern", args=[pair.pk]),
        {"text": "They never replied."},
        follow=True,
    )

    text = _text(response)
    assert "Your concern has been sent to the organisers, who may contact you by email." in text
    assert "not been told" not in text
