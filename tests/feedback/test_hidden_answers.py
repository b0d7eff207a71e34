"""Answers under the heading that does not fit "Did you meet?" are hidden on the page
(met_sections.js), so the form neither refuses them nor saves them (walk 27: 3 minutes
typed under "If you met", then "No" chosen, came back with an error the member could
not see)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Evaluation
from tests.factories import InterestFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(programme, member, other_member):
    ran = timezone.now() - dt.timedelta(days=40)
    return make_match(done_round(programme, finished_at=ran), member, other_member)


def _send(client, match, **answers):
    return client.post(reverse("feedback:evaluate_own", args=[match.pk]), answers)


def test_no_with_bad_answers_under_if_you_met_is_saved_without_them(member_client, member, match):
    topic = InterestFactory()
    response = _send(
        member_client,
        match,
        met="no",
        not_met_reason="My partner was on leave.",
        usefulness="4",
        minutes="3",  # under the 5-minute floor, in a hidden section
        topics=[topic.pk],
        topics_other="Open access",
        meet_again="yes",
    )

    assert response.status_code in (200, 302)
    assert "Enter at least 5 minutes" not in response.content.decode()
    saved = Evaluation.objects.get(match=match, user=member)
    assert (saved.met, saved.not_met_reason) == ("no", "My partner was on leave.")
    assert (saved.usefulness, saved.minutes, saved.topics_other, saved.meet_again) == (
        None,
        None,
        "",
        "",
    )
    assert not saved.topics.exists()


def test_yes_with_a_too_long_hidden_reason_is_saved_without_it(member_client, member, match):
    _send(member_client, match, met="yes", usefulness="4", not_met_reason="x" * 400)

    saved = Evaluation.objects.get(match=match, user=member)
    assert (saved.met, saved.usefulness, saved.not_met_reason) == ("yes", 4, "")


def test_a_bad_answer_the_member_can_see_is_still_refused(member_client, member, match):
    response = _send(member_client, match, met="yes", usefulness="4", minutes="3")

    assert "Enter at least 5 minutes." in response.content.decode()
    assert not Evaluation.objects.filter(match=match, user=member).exists()
