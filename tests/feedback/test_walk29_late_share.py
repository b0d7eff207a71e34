"""A search review's strategy after its date: the match page no longer says "please share
it by" a day gone, and once a later round has run no first strategy is asked for (walk 29:
on 26 January round 2 still said "Please share it by 9 December", with round 3 running).
A revised version of one already shared stays welcome."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.strategies.services import strategy_share
from tests.factories import UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match
from tests.feedback.strategy_helpers import STRATEGY, review_programme

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def pair(client):
    programme = review_programme()
    ada, grace = UserFactory(), UserFactory()
    client.force_login(ada)
    return programme, ada, grace


def _match(programme, ada, grace, days_ago: int):
    ran = timezone.now() - dt.timedelta(days=days_ago)
    return make_match(done_round(programme, finished_at=ran), ada, grace)


def test_before_the_date_it_is_asked_for_by_the_date(client, pair):
    match = _match(*pair, days_ago=1)

    page = _text(client.get(reverse("pairing:match_detail", args=[match.pk])))

    assert "Not shared yet. Please share it by" in page
    assert "Share your strategy" in page


def test_after_the_date_it_can_still_be_shared_until_a_later_round(client, pair):
    match = _match(*pair, days_ago=20)

    page = _text(client.get(reverse("pairing:match_detail", args=[match.pk])))
    share = client.get(reverse("feedback:strategy_share", args=[match.pk]))

    assert "Please share it by" not in page
    assert re.search(
        r"Not shared yet\. It was due by \d+ \w+ \d{4} ?: you can still share it\.", page
    )
    assert share.status_code == 200
    # The share form says the same (walk 30: it still asked for it "by" the day gone).
    assert re.search(r"It was due by \w+ \d+ \w+ \d{4} ?: you can still share it\.", _text(share))
    assert "Please share it by" not in _text(share)


def test_once_a_later_round_has_run_no_first_strategy_is_asked_for(client, pair):
    programme, ada, grace = pair
    match = _match(programme, ada, grace, days_ago=40)
    _match(programme, ada, UserFactory(), days_ago=12)  # round 2 has run since

    page = _text(client.get(reverse("pairing:match_detail", args=[match.pk])))
    share = client.get(reverse("feedback:strategy_share", args=[match.pk]), follow=True)

    assert "You did not share a strategy, and none is needed now." in page
    assert "Share your strategy" not in page and "Please share it by" not in page
    assert share.redirect_chain[-1][0] == reverse("pairing:match_detail", args=[match.pk])
    assert "and a later round has run since: none is needed from you now." in _text(share)


def test_a_revised_version_is_still_welcome_after_a_later_round(client, pair):
    programme, ada, grace = pair
    match = _match(programme, ada, grace, days_ago=40)
    strategy_share(match=match, author=ada, context={}, text=STRATEGY, upload=None, checked={})
    _match(programme, ada, UserFactory(), days_ago=12)

    page = _text(client.get(reverse("pairing:match_detail", args=[match.pk])))

    assert "Add a revised version" in page
    assert client.get(reverse("feedback:strategy_share", args=[match.pk])).status_code == 200
