"""A member deletes their account: the others in each of their current introductions get
one email (never naming who left) saying whether a meeting is still to arrange and what
happens next; older introductions, members who left the programme and learning sets
(which tell their own members) get nothing from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from feedback.services import FEEDBACK_WINDOW, evaluation_closes_at
from members.services import member_delete
from pairing.emails.partner_gone import partners_told_account_deleted
from pairing.emails.text import site_url
from pairing.models import (
    Match,
    MatchMember,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Round,
)
from pairing.outbox import build_message
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 10, 12, 0))
NEXT = dt.date(2026, 12, 8)


def _round(programme, number: int, ran: dt.datetime, status: str = "done") -> Round:
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=ran.date(),
        status=status,
        seed=1,
        finished_at=ran if status == "done" else None,
    )


def _match(pairing_round: Round, *users) -> Match:
    match = Match.objects.create(pairing_round=pairing_round)
    for user in users:
        Membership.objects.get_or_create(user=user, programme=pairing_round.programme)
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def _emails(user=None):
    rows = OutboxEmail.objects.filter(kind=OutboxKind.PARTNER_GONE)
    return list(rows.filter(user=user) if user is not None else rows)


def _read(row: OutboxEmail) -> tuple[str, str, str, dict]:
    message = build_message(row)
    html = message.alternatives[0][0] if message.alternatives else ""
    return message.subject, message.body, html, dict(message.extra_headers)


@pytest.fixture
def coffee():
    return ProgrammeFactory(kind="coffee", name="Yorkshire library coffee", next_round_on=NEXT)


@pytest.fixture
def leaver():
    return UserFactory(email="lin@example.org", profile__display_name="Lin Quist")


def test_the_partner_who_remains_is_told_once_without_the_leavers_name(coffee, leaver, member):
    match = _match(_round(coffee, 3, NOW - dt.timedelta(days=5)), leaver, member)

    member_delete(user=leaver, now=NOW)

    [row] = _emails()
    assert row.user == member and row.match_id == match.pk
    assert row.key == f"partner_gone:{match.pk}:{member.pk}"
    subject, body, html, headers = _read(row)
    assert (
        subject == "Your partner in round 3 of Yorkshire library coffee has deleted their account"
    )
    assert "Hello Ada Lovelace," in body
    assert "there is no meeting to arrange" in body
    assert "the next round of Yorkshire library coffee is on 8 December 2026" in body
    assert f"The introduction: {site_url('pairing:match_detail', match.pk)}" in body
    assert "To stop round and cycle notices:" in body
    assert "List-Unsubscribe" in headers
    for text in (subject, body, html):
        assert "Lin" not in text and "Quist" not in text and "lin@example.org" not in text
    assert "there is no meeting to arrange" in html


def test_the_email_is_queued_exactly_once(coffee, leaver, member):
    _match(_round(coffee, 1, NOW - dt.timedelta(days=5)), leaver, member)

    partners_told_account_deleted(user=leaver, now=NOW)
    partners_told_account_deleted(user=leaver, now=NOW)
    member_delete(user=leaver, now=NOW)

    assert len(_emails(member)) == 1


def test_in_a_trio_the_two_who_remain_each_hear_the_others_remain(leaver, member, other_member):
    trio = ProgrammeFactory(kind="coffee", name="Trio coffee", group_size=3, next_round_on=NEXT)
    _match(_round(trio, 2, NOW - dt.timedelta(days=3)), leaver, member, other_member)

    member_delete(user=leaver, now=NOW)

    assert len(_emails(member)) == 1 and len(_emails(other_member)) == 1
    for row in _emails():
        subject, body, html, _headers = _read(row)
        assert subject == "One of your group in round 2 of Trio coffee has deleted their account"
        assert "The others remain: you can still meet" in body
        assert "no meeting to arrange" not in body
        assert "Lin" not in subject + body + html


def test_a_partner_in_an_older_round_gets_nothing(coffee, leaver, member, other_member):
    _match(_round(coffee, 1, NOW - dt.timedelta(days=33)), leaver, member)
    _match(_round(coffee, 2, NOW - dt.timedelta(days=5)), leaver, other_member)

    member_delete(user=leaver, now=NOW)

    assert _emails(member) == []
    assert len(_emails(other_member)) == 1


def test_a_round_planned_but_not_run_keeps_the_introduction_current(coffee, leaver, member):
    _match(_round(coffee, 1, NOW - dt.timedelta(days=5)), leaver, member)
    _round(coffee, 2, NOW + dt.timedelta(days=20), status="planned")

    member_delete(user=leaver, now=NOW)

    assert len(_emails(member)) == 1


def test_once_feedback_has_closed_nobody_is_told(coffee, leaver, member, other_member):
    # Feedback closes when feedback.closing says (one rule): told just before, not from the close.
    ran = NOW - FEEDBACK_WINDOW - dt.timedelta(days=1)
    closed = _round(coffee, 1, ran)
    _match(closed, leaver, member)
    closes = evaluation_closes_at(pairing_round=Round.objects.get(pk=closed.pk))
    assert partners_told_account_deleted(user=leaver, now=closes - dt.timedelta(minutes=1)) == 1
    OutboxEmail.objects.all().delete()
    # The leaver's introduction in another programme is still current.
    other = ProgrammeFactory(kind="coffee", name="Leeds coffee")
    _match(_round(other, 1, closes - dt.timedelta(days=5)), leaver, other_member)

    member_delete(user=leaver, now=closes)

    assert _emails(member) == []
    assert len(_emails(other_member)) == 1


def test_a_partner_who_left_the_programme_gets_nothing(leaver, member, other_member):
    trio = ProgrammeFactory(kind="coffee", name="Trio coffee", group_size=3, next_round_on=NEXT)
    _match(_round(trio, 1, NOW - dt.timedelta(days=5)), leaver, member, other_member)
    trio.memberships.filter(user=member).update(status=MembershipStatus.LEFT)

    member_delete(user=leaver, now=NOW)

    assert _emails(member) == []
    # The one who stays has nobody left to meet, and reads so.
    [row] = _emails(other_member)
    _subject, body, _html, _headers = _read(row)
    assert "Nobody else remains in this introduction, so there is no meeting to arrange" in body
    assert "The others remain" not in body


def test_a_learning_set_match_gets_nothing_from_this(coffee, leaver, member, other_member):
    sets = ProgrammeFactory(kind="learning_set", name="Reflective practice sets")
    _match(_round(sets, 1, NOW - dt.timedelta(days=5)), leaver, member)
    _match(_round(coffee, 1, NOW - dt.timedelta(days=5)), leaver, other_member)

    member_delete(user=leaver, now=NOW)

    assert _emails(member) == []
    assert len(_emails(other_member)) == 1
