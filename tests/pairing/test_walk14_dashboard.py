"""Walk 14: an earlier round's search review stays a current introduction on the
dashboard while the member still has a strategy to share or a partner's to review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Strategy, StrategyReview, StrategyVersion
from members.models import User
from pairing.models import Match, MatchMember, Programme, Round
from pairing.selectors import matches_for_member
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _review_programme() -> Programme:
    return ProgrammeFactory(name="Search buddies", kind="search_review", strategy_due_days=5)


def _ran(programme: Programme, number: int, on: dt.date) -> Round:
    """A round that ran (its introductions went out) on `on`."""
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=on,
        status="done",
        seed=number,
        finished_at=timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0))),
    )


def _match(pairing_round: Round, *users: User) -> Match:
    match = Match.objects.create(pairing_round=pairing_round)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def _shared(match: Match, author: User) -> Strategy:
    strategy = Strategy.objects.create(match=match, author=author)
    StrategyVersion.objects.create(strategy=strategy, number=1, text="1. exp Neoplasms/")
    return strategy


def _reviewed(strategy: Strategy, reviewer: User) -> None:
    StrategyReview.objects.create(
        strategy=strategy,
        version=strategy.versions.get(),
        reviewer=reviewer,
        submitted_at=timezone.now(),
    )


def _sections(html: str) -> tuple[str, str]:
    """(current section, past section) of the dashboard's introductions."""
    mine = html.split('id="introductions-heading"')[1]
    current, _, past = mine.partition("Past introductions")
    return current, past


def test_dashboard_keeps_an_earlier_review_current_while_the_share_is_due(
    member_client, member, other_member
):
    # Aisha: round 3 ran early, two days after round 2; round 2's share is due in 3 days.
    today = timezone.localdate()
    programme = _review_programme()
    _match(_ran(programme, 2, today - dt.timedelta(days=2)), member, other_member)
    _match(_ran(programme, 3, today), member, UserFactory(profile__display_name="Quentin Blake"))

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, past = _sections(html)
    assert "round 2: Grace Hopper" in current
    assert "round 2" not in past
    due_on = today + dt.timedelta(days=3)
    assert f"Share your search strategy by {due_on:%-d %B}." in current


def test_dashboard_keeps_an_earlier_review_current_while_a_partner_waits_for_review(
    member_client, member, other_member
):
    today = timezone.localdate()
    programme = _review_programme()
    earlier = _match(_ran(programme, 2, today - dt.timedelta(days=20)), member, other_member)
    _shared(earlier, other_member)
    _match(_ran(programme, 3, today - dt.timedelta(days=2)), member, UserFactory())

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, _past = _sections(html)
    assert "round 2: Grace Hopper" in current
    assert "search strategy waits for your review." in current
    passed = today - dt.timedelta(days=15)  # round 2's due day: no longer asked for
    assert f"Share your search strategy by {passed:%-d %B}" not in html


def test_dashboard_lists_a_finished_earlier_review_as_past(member_client, member, other_member):
    today = timezone.localdate()
    programme = _review_programme()
    earlier = _match(_ran(programme, 2, today - dt.timedelta(days=20)), member, other_member)
    _reviewed(_shared(earlier, other_member), member)
    _shared(earlier, member)
    _match(_ran(programme, 3, today - dt.timedelta(days=2)), member, UserFactory())

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, past = _sections(html)
    assert "round 2: Grace Hopper" in past
    assert "round 2" not in current


def test_dashboard_shows_a_paused_members_review_with_work_due(member_client, member, other_member):
    # Omar: paused for round 4, his round-3 share is still due.
    today = timezone.localdate()
    programme = _review_programme()
    _match(_ran(programme, 3, today - dt.timedelta(days=2)), member, other_member)
    _match(_ran(programme, 4, today), UserFactory(), UserFactory())

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current, _past = _sections(html)
    assert "You have no introduction in the latest rounds" not in html
    assert "round 3: Grace Hopper" in current


def test_matches_for_member_counts_each_partners_strategy_awaiting_review(member):
    today = dt.date(2026, 12, 20)
    programme = _review_programme()
    first, second = UserFactory(), UserFactory()
    trio = _match(_ran(programme, 2, dt.date(2026, 12, 1)), member, first, second)
    _shared(trio, first)
    _shared(trio, second)
    _match(_ran(programme, 3, dt.date(2026, 12, 18)), member, UserFactory())

    result = matches_for_member(user=member, today=today)

    current = {m.pk: m for m in result.current}
    assert current[trio.pk].to_review == 2


def test_matches_for_member_reads_work_due_without_more_queries(member):
    programme = _review_programme()
    for number in range(1, 6):
        partner = UserFactory()
        on = dt.date(2026, 1, 1) + dt.timedelta(days=28 * number)
        _shared(_match(_ran(programme, number, on), member, partner), partner)

    with CaptureQueriesContext(connection) as queries:
        result = matches_for_member(user=member, today=dt.date(2026, 12, 20))

    assert len(result.current) == 5
    assert len(queries) == 4  # and one for when each round's feedback closes
