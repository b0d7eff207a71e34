"""The "did you meet?" email when the partner has since deleted their account asks as the
form does: "Did you meet your partner?", never "Did you meet A former member?"."""

from __future__ import annotations

import datetime as dt

import pytest

from feedback.services import followups_send_due
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from tests.factories import MembershipFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _ask_for(member) -> str:
    followups_send_due(now=RAN + 14 * DAY)
    (row,) = OutboxEmail.objects.filter(kind=OutboxKind.FOLLOWUP, user=member)
    message = build_message(row)
    return f"{message.subject}\n{message.body}"


def test_the_followup_asks_about_your_partner_once_their_account_is_gone(
    programme, member, other_member
):
    for user in (member, other_member):
        MembershipFactory(user=user, programme=programme)
    match = make_match(done_round(programme, finished_at=RAN), member, other_member)
    MatchMember.objects.filter(match=match, user=other_member).update(user=None)

    text = _ask_for(member)

    assert "Did you meet your partner?" in text
    assert "never shown to your partner" in text
    assert "former member" not in text.lower()


def test_the_followup_names_the_others_who_remain_in_a_group(programme, member, other_member):
    third = UserFactory(profile__display_name="Alan Turing")
    for user in (member, other_member, third):
        MembershipFactory(user=user, programme=programme)
    match = make_match(done_round(programme, finished_at=RAN), member, other_member, third)
    MatchMember.objects.filter(match=match, user=third).update(user=None)

    text = _ask_for(member)

    assert "Did you meet Grace Hopper and a former member?" in text
