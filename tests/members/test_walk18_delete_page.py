"""Walk 18: the delete-account page says what happens to search strategies, reviews and
learning sets only to a member who has them; everyone reads the general paragraph."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from feedback.models import Strategy, StrategyReview, StrategyVersion
from members.models import User
from pairing.sets.selectors import set_member_ids
from tests.factories import ProgrammeFactory
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # tests.factories.UserFactory's

GENERAL = "This deletes your account, your profile and your programme memberships"
STRATEGIES = "Search strategies you shared for review are deleted"
REVIEWS = "Reviews you wrote of a partner's strategy stay with that partner"
SETS = "Learning sets: if your set still has sessions to come, you leave it first"


def _delete_page(client, user: User) -> str:
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("members:account_delete")).content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def shared_a_strategy(author: User, reviewer: User) -> Strategy:
    """`author` shares a strategy in a search-review match, and `reviewer` reviews it."""
    match = review_match(ProgrammeFactory(kind="search_review"), author, reviewer)
    strategy = Strategy.objects.create(match=match, author=author)
    version = StrategyVersion.objects.create(strategy=strategy, number=1, text=STRATEGY)
    StrategyReview.objects.create(
        strategy=strategy, version=version, match=match, version_number=1, reviewer=reviewer
    )
    return strategy


def in_a_learning_set() -> User:
    """A member of a newly formed learning set."""
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    return User.objects.get(pk=set_member_ids(learning_set)[0])


def test_a_member_with_no_strategies_reviews_or_sets_reads_only_the_general_paragraph(
    client, member
):
    page = _delete_page(client, member)

    assert GENERAL in page
    assert STRATEGIES not in page
    assert REVIEWS not in page
    assert SETS not in page


def test_an_author_reads_about_their_strategies_not_about_reviews_they_did_not_write(
    client, member, other_member
):
    shared_a_strategy(member, other_member)

    page = _delete_page(client, member)

    assert STRATEGIES in page
    assert REVIEWS not in page
    assert SETS not in page


def test_a_reviewer_reads_about_the_reviews_they_wrote(client, member, other_member):
    shared_a_strategy(other_member, member)

    page = _delete_page(client, member)

    assert REVIEWS in page
    assert STRATEGIES not in page


def test_a_member_who_chose_review_only_is_not_told_about_strategies_they_never_shared(
    client, member, other_member
):
    match = review_match(review_programme(), member, other_member)
    Strategy.objects.create(match=match, author=member, review_only=True)

    page = _delete_page(client, member)

    assert STRATEGIES not in page


def test_a_member_of_a_learning_set_reads_about_sets_and_nothing_else(client):
    user = in_a_learning_set()

    page = _delete_page(client, user)

    assert SETS in page
    assert STRATEGIES not in page
    assert REVIEWS not in page
