"""Walk 17: feedback on a match whose partner has deleted their account stays possible (they
may have met before), and reads naturally: "Did you meet your partner?", never "Did you
meet A former member?"; the match page offers it with a quieter line, not the usual prompt."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import MatchMember
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _match(programme, *users):
    ran = timezone.now() - 10 * DAY
    return make_match(done_round(programme, finished_at=ran), *users)


def _gone(match, *users) -> None:
    MatchMember.objects.filter(match=match, user__in=users).update(user=None)


def _text(client, url: str) -> str:
    html = client.get(url).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([.,?])", r"\1", text)


def _form(client, match) -> str:
    return _text(client, reverse("feedback:evaluate_own", args=[match.pk]))


def _match_page(client, match) -> str:
    return _text(client, reverse("pairing:match_detail", args=[match.pk]))


def test_the_form_asks_about_your_partner_when_their_account_is_gone(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member)
    _gone(match, other_member)

    page = _form(member_client, match)

    assert "Did you meet your partner?" in page
    assert "Your answers are never shown to your partner." in page
    assert "former member" not in page


def test_the_form_names_a_gone_mentor_by_their_role(member_client, member, other_member):
    match = _match(ProgrammeFactory(kind="mentoring"), member, other_member)
    MatchMember.objects.filter(match=match, user=other_member).update(role="offer")
    _gone(match, other_member)

    page = _form(member_client, match)

    assert "Did you meet your mentor?" in page


def test_the_form_asks_about_the_others_when_a_whole_group_is_gone(
    member_client, member, other_member, programme
):
    third = UserFactory()
    match = _match(programme, member, other_member, third)
    _gone(match, other_member, third)

    page = _form(member_client, match)

    assert "Did you meet the others?" in page
    assert "Your answers are never shown to the others." in page


def test_a_gone_member_of_a_group_others_remain_in_reads_in_lower_case(
    member_client, member, other_member, programme
):
    third = UserFactory()
    match = _match(programme, member, other_member, third)
    _gone(match, third)
    name = other_member.profile.display_name

    page = _form(member_client, match)

    assert f"Did you meet {name} and a former member?" in page


def test_the_match_page_offers_feedback_quietly_when_the_partner_is_gone(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member)
    _gone(match, other_member)
    form_url = reverse("feedback:evaluate_own", args=[match.pk])
    html = member_client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()

    page = _match_page(member_client, match)

    assert "If you met before they left, you can still tell us how it went." in page
    assert f'<a href="{form_url}">tell us how it went</a>' in html
    assert "Tell us how it went" not in page


def test_the_match_page_says_a_whole_group_is_gone(member_client, member, other_member, programme):
    third = UserFactory()
    match = _match(programme, member, other_member, third)
    _gone(match, other_member, third)

    page = _match_page(member_client, match)

    assert "Your partners have deleted their accounts, so nobody else remains" in page
    assert "If you met before they left, you can still tell us how it went." in page


def test_the_usual_prompt_stays_while_the_partner_remains(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member)

    page = _match_page(member_client, match)

    assert "Tell us how it went" in page
    assert "If you met before they left" not in page
