"""Walk 17: once a member has told us how a meeting went, their match page says so (and
when) instead of asking again, with "Change your answers" while feedback is open and a
plain "can no longer be changed" once it has closed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Evaluation, Met
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
TOLD_ON = timezone.make_aware(dt.datetime(2027, 3, 3, 12, 0))


def _match(programme, member, other_member, *, ran_days_ago: int):
    ran = timezone.now() - ran_days_ago * DAY
    return make_match(done_round(programme, finished_at=ran), member, other_member)


def _told(match, member, met: str = Met.YES) -> None:
    evaluation = Evaluation.objects.create(match=match, user=member, met=met, usefulness=4)
    Evaluation.objects.filter(pk=evaluation.pk).update(updated_at=TOLD_ON)


def _page(client, match) -> str:
    html = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _html(client, match) -> str:
    return client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()


def test_after_feedback_the_match_page_says_when_instead_of_asking_again(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member, ran_days_ago=10)
    _told(match, member)

    page = _page(member_client, match)

    assert "You told us how it went on 3 March 2027." in page
    assert "Tell us how it went" not in page


def test_after_feedback_the_match_page_links_to_change_the_answers_while_open(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member, ran_days_ago=10)
    _told(match, member)
    form_url = reverse("feedback:evaluate_own", args=[match.pk])

    html = _html(member_client, match)

    assert f'<a href="{form_url}">Change your answers</a>' in html


def test_once_feedback_has_closed_the_page_says_the_answers_cannot_be_changed(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member, ran_days_ago=100)
    _told(match, member)

    page = _page(member_client, match)

    assert "You told us how it went on 3 March 2027." in page
    assert "Feedback for this round has closed, so your answers can no longer be changed." in page
    assert "Change your answers" not in page
    assert reverse("feedback:evaluate_own", args=[match.pk]) not in _html(member_client, match)


def test_a_member_who_said_not_yet_is_still_asked_how_it_went(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member, ran_days_ago=10)
    _told(match, member, met=Met.NOT_YET)

    page = _page(member_client, match)

    assert "On 3 March 2027 you told us you had not met yet." in page
    assert "Tell us how it went" in page
    assert "You told us how it went" not in page


def test_a_partners_feedback_does_not_change_the_members_page(
    member_client, member, other_member, programme
):
    match = _match(programme, member, other_member, ran_days_ago=10)
    _told(match, other_member)

    page = _page(member_client, match)

    assert "Tell us how it went" in page
    assert "You told us how it went" not in page
