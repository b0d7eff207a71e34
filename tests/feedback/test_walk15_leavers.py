"""Walk 15: a member who left the programme shares nothing more in a search review. The
match page says they left (what they shared stays), a share or "review only" is refused
in words with the typed text kept, and no partner is emailed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import StrategyVersion
from feedback.strategies.services import StrategyError, strategy_share
from pairing.models import MembershipStatus, OutboxEmail
from tests.factories import MembershipFactory
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(member, other_member):
    programme = review_programme()
    MembershipFactory(user=other_member, programme=programme, status=MembershipStatus.LEFT)
    return review_match(programme, member, other_member)


def _detail(match):
    return reverse("pairing:match_detail", args=[match.pk])


def _share(match):
    return reverse("feedback:strategy_share", args=[match.pk])


def test_the_match_page_of_a_member_who_left_asks_nothing(other_client, match):
    page = other_client.get(_detail(match)).content.decode()

    assert "You have left Search buddies, so nothing more is asked of you here" in page
    assert "Please share it by" not in page
    assert "Share your strategy" not in page
    assert "Review only, nothing of mine this time" not in page


def test_a_member_who_left_still_sees_what_they_shared(other_client, match, other_member):
    version = StrategyVersion.objects.create(
        strategy=match.strategies.create(author=other_member), number=1, text=STRATEGY
    )

    page = other_client.get(_detail(match)).content.decode()

    assert f"You shared version {version.number}" in page
    assert "exp Neoplasms/" in page
    assert "Add a revised version" not in page


def test_a_share_by_a_member_who_left_is_refused_and_keeps_the_text(other_client, match, member):
    response = other_client.post(_share(match), {"text": STRATEGY, "question": "Exercise?"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "You have left Search buddies, so your strategy was not shared" in page
    assert "exp Neoplasms/" in page
    assert "Exercise?" in page
    assert not StrategyVersion.objects.exists()
    assert not OutboxEmail.objects.filter(kind="strategy_shared").exists()


def test_the_share_page_sends_a_member_who_left_back_with_the_reason(other_client, match):
    response = other_client.get(_share(match), follow=True)

    assert "You have left Search buddies: nothing more is asked of you here." in (
        response.content.decode()
    )


def test_review_only_by_a_member_who_left_is_refused(other_client, match):
    url = reverse("feedback:strategy_review_only", args=[match.pk])

    response = other_client.post(url, {"review_only": "1"}, follow=True)

    assert "You have left Search buddies, so nothing more is asked of you here." in (
        response.content.decode()
    )
    assert not match.strategies.exists()


def test_strategy_share_by_a_member_who_left_emails_nobody(match, other_member):
    with pytest.raises(StrategyError):
        strategy_share(match=match, author=other_member, context={}, text=STRATEGY)

    assert not OutboxEmail.objects.exists()
