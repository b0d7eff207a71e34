"""The left-out email offers "edit your profile" only when the meeting format is the
reason; a list of rules that may have kept someone out (the same organisation, the
meeting format, an earlier choice) offers no profile change (walk 19)."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing import rounds
from pairing.models import LeftOut, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 12, 1)
PROFILE = "edit your profile"


def test_members_kept_apart_by_their_organisation_are_not_told_to_edit_their_profile():
    programme = ProgrammeFactory(avoid_same_organisation=True)
    users = [
        UserFactory(profile__organisation="Leeds Library", profile__meeting_format="online")
        for _ in range(2)
    ]
    for user in users:
        MembershipFactory(user=user, programme=programme)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=START)
    done = rounds.round_run(
        pairing_round=pairing_round, now=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    )

    row = OutboxEmail.objects.get(pairing_round=done, user=users[0], kind=OutboxKind.LEFT_OUT)
    message = build_message(row)
    html = next(c for c, kind in message.alternatives if kind == "text/html")

    reason = LeftOut.objects.get(pairing_round=done, user=users[0]).reason
    # Only the rule that kept them apart (walk 31: the format was named too).
    assert "(the same organisation)" in reason and "the meeting format" not in reason
    assert PROFILE not in message.body and PROFILE not in html
