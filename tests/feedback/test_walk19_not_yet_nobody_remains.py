"""Walk 19: when everyone else in an introduction has deleted their account, the feedback
form no longer offers "Not yet" or promises to ask again in a week (there is no meeting to
wait for); a group where others remain keeps it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import CheckIn, Evaluation
from pairing.models import MatchMember
from tests.factories import UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _match(programme, *users):
    return make_match(done_round(programme, finished_at=timezone.now() - 10 * DAY), *users)


def _gone(match, *users) -> None:
    MatchMember.objects.filter(match=match, user__in=users).update(user=None)


def _url(match) -> str:
    return reverse("feedback:evaluate_own", args=[match.pk])


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_form_offers_no_not_yet_when_the_partner_has_deleted_their_account(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member)
    _gone(match, other_member)

    page = _text(member_client.get(_url(match)).content.decode())

    assert "Yes, we met" in page and "No, we couldn't meet" in page.replace("&#x27;", "'")
    assert "Not yet" not in page
    assert "ask again" not in page


def test_posting_not_yet_then_is_refused_with_a_clear_error_and_saves_nothing(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member)
    _gone(match, other_member)

    response = member_client.post(_url(match), {"met": "not_yet"})

    assert response.status_code == 200
    page = _text(response.content.decode()).replace("&#x27;", "'")
    assert "Nobody else in this introduction still has an account" in page
    assert not Evaluation.objects.exists()
    assert not CheckIn.objects.filter(ask_again_on__isnull=False).exists()


def test_a_group_where_others_remain_keeps_not_yet(member_client, member, other_member, programme):
    third = UserFactory()
    match = _match(programme, member, other_member, third)
    _gone(match, other_member)

    page = _text(member_client.get(_url(match)).content.decode())
    assert "Not yet" in page and "we will ask again in a week" in page

    member_client.post(_url(match), {"met": "not_yet"})
    assert Evaluation.objects.get(user=member).met == "not_yet"
