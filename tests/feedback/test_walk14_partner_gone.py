"""Walk 14: when nobody else remains in a search-review match (the partner left the
programme or deleted their account), the match page says so plainly instead of asking for
a strategy nobody will review; what was already shared and reviewed stays."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.strategies.services import review_save, strategy_reminders_send_due, strategy_share
from members.services import member_delete
from pairing.models import Membership, OutboxEmail
from pairing.services import membership_leave
from tests.factories import UserFactory
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 5, 10, 0))


@pytest.fixture
def match(member, other_member):
    programme = review_programme()
    for user in (member, other_member):
        Membership.objects.create(user=user, programme=programme)
    return review_match(programme, member, other_member)


def _leave(user, match) -> None:
    membership_leave(
        membership=Membership.objects.get(user=user, programme=match.pairing_round.programme)
    )


def _page(client, match) -> str:
    html = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_partner_who_left_is_not_waited_for(match, other_member, member_client):
    _leave(other_member, match)
    name = other_member.profile.display_name

    page = _page(member_client, match)

    assert (
        f"{name} has left the programme, so nobody else remains in this introduction to "
        "review a strategy of yours or to share one with you" in page
    )
    assert "Share your strategy" not in page
    assert "Review only, nothing of mine this time" not in page
    assert "You will be emailed when they do" not in page
    assert f"{name} has left the programme without sharing a strategy." in page


def test_a_partner_who_deleted_their_account_is_not_waited_for(match, other_member, member_client):
    member_delete(user=other_member)

    page = _page(member_client, match)

    assert "Your partner has deleted their account, so nobody else remains" in page
    assert "Please share it by" not in page and "Share your strategy" not in page


def test_what_was_shared_and_reviewed_stays_after_the_partner_left(
    match, member, other_member, member_client
):
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={"limits": {"verdict": "required", "comment": "Line 8: drop the limit."}},
        overall="Kept.",
        submit=True,
        now=NOW,
    )
    _leave(other_member, match)

    page = _page(member_client, match)

    assert "exp Neoplasms/" in page and "Line 8: drop the limit." in page
    assert "Add a revised version" not in page


def test_the_reviewer_still_sees_their_review_after_the_author_deleted_their_account(
    match, member, other_member, other_client
):
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements={"limits": {"verdict": "required", "comment": "Line 8: drop the limit."}},
        overall="My own note.",
        submit=True,
        now=NOW,
    )
    member_delete(user=member)

    page = _page(other_client, match)

    assert "Their strategy was deleted with their account." in page
    assert "Line 8: drop the limit." in page and "exp Neoplasms/" not in page


def test_sharing_after_the_partner_left_is_refused_and_keeps_the_text(
    match, other_member, member_client
):
    _leave(other_member, match)

    response = member_client.post(
        reverse("feedback:strategy_share", args=[match.pk]), {"text": STRATEGY}
    )

    page = response.content.decode()
    assert "Nobody else remains in this introduction to review it" in page
    assert "exp Neoplasms/" in page
    assert not OutboxEmail.objects.filter(kind="strategy_shared").exists()


def test_a_trio_with_one_partner_left_still_asks_the_two_who_remain(member, other_member):
    programme = review_programme()
    third = UserFactory()
    for user in (member, other_member, third):
        Membership.objects.create(user=user, programme=programme)
    trio = review_match(programme, member, other_member, third)
    _leave(third, trio)
    client = Client()
    client.force_login(member)

    page = _page(client, trio)

    assert "nobody else remains" not in page
    assert "Share your strategy" in page
    assert f"{third.profile.display_name} has left the programme without sharing" in page
    assert strategy_reminders_send_due(now=NOW) == 2  # the two who remain, not the leaver


def test_no_reminder_when_nobody_remains_to_review(match, other_member):
    _leave(other_member, match)

    queued = strategy_reminders_send_due(now=NOW)

    assert queued == 0
