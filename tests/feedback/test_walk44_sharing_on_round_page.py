"""Walk 44: organisers could not see who had not shared a strategy: the admin's
"Strategies" list only has rows for members who shared or chose review only. A search
review round's page now says, for each member of each pair, whether they have shared (or
chose review only) and whether their review was sent; never what they shared."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from feedback.strategies.services import review_save, strategy_review_only, strategy_share
from pairing.models import Match, MatchMember
from tests.factories import UserFactory
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db


def _lines(page: str) -> list[str]:
    table = page.split('id="round-matches"', 1)[1].split("</table>", 1)[0]
    items = [li.split("</li>", 1)[0] for li in table.split("<li>")[1:]]
    return [" ".join(strip_tags(li).split()) for li in items]


def test_the_round_page_says_who_has_shared_and_reviewed(organiser_client, member, other_member):
    programme = review_programme()
    match = review_match(programme, member, other_member)
    shared = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(strategy=shared.strategy, reviewer=other_member, elements={}, overall="Fine",
                submit=True, now=timezone.now())  # fmt: skip
    url = reverse("admin:pairing_round_progress", args=[match.pairing_round_id])

    page = organiser_client.get(url).content.decode()

    assert "Strategies and reviews" in page
    assert _lines(page) == [
        "Ada Lovelace: shared (1 version), no review sent yet",
        "Grace Hopper: not shared yet, review sent",
    ]
    assert "exp Neoplasms" not in page and "Fine" not in strip_tags(page).split()


def test_the_round_pages_queries_do_not_grow_with_its_pairs(organiser_client):
    programme = review_programme()
    first = review_match(programme, UserFactory(), UserFactory())
    url = reverse("admin:pairing_round_progress", args=[first.pairing_round_id])
    with CaptureQueriesContext(connection) as one:
        organiser_client.get(url)
    for _ in range(5):
        pair = [UserFactory(), UserFactory()]
        match = Match.objects.create(pairing_round=first.pairing_round, host=pair[1])
        for user in pair:
            MatchMember.objects.create(match=match, pairing_round=first.pairing_round, user=user)
        strategy_share(match=match, author=pair[0], context={}, text=STRATEGY)

    with CaptureQueriesContext(connection) as six:
        page = organiser_client.get(url).content.decode()

    assert len(_lines(page)) == 12
    assert len(six.captured_queries) <= len(one.captured_queries) + 1


def test_a_review_only_partner_leaves_nothing_to_review(organiser_client, member, other_member):
    # Walk 45: "Imogen: shared (1 version), no review sent yet" where her partner chose
    # review only; and her page said "they will review yours" after they had.
    match = review_match(review_programme(), member, other_member)
    shared = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    strategy_review_only(match=match, author=other_member)
    url = reverse("admin:pairing_round_progress", args=[match.pairing_round_id])
    detail = reverse("pairing:match_detail", args=[match.pk])
    client = Client()
    client.force_login(member)
    before = " ".join(strip_tags(client.get(detail).content.decode()).split())
    review_save(strategy=shared.strategy, reviewer=other_member, elements={}, overall="Fine",
                submit=True, now=timezone.now())  # fmt: skip

    after = " ".join(strip_tags(client.get(detail).content.decode()).split())

    assert _lines(organiser_client.get(url).content.decode()) == [
        "Ada Lovelace: shared (1 version), nothing to review",
        "Grace Hopper: review only, review sent",
    ]
    assert "Grace Hopper has nothing to review this time; they will review yours." in before
    assert "Grace Hopper has nothing to review this time; they have reviewed yours." in after
