"""Swaps of turns as members see them: the news of a swap is true for each recipient
(a member who now facilitates one of the swapped sessions is told so), and a turn already
offered in a pending swap is not offered again."""

from __future__ import annotations

import pytest

from members.models import User
from pairing.models import OutboxKind
from tests.pairing.set_helpers import rows
from tests.pairing.test_learning_set_updates import (
    _day,
    _five,
    _swap_into_the_facilitators_session,
    _text,
)

pytestmark = pytest.mark.django_db


def test_a_member_who_now_facilitates_a_swapped_session_is_not_told_nothing_changed():
    learning_set, users, sessions = _five()
    proposer, accepter, _theirs, last = _swap_into_the_facilitators_session(learning_set, sessions)
    newcomer = User.objects.get(pk=last.facilitator_id)
    assert newcomer.pk not in {proposer.pk, accepter.pk}
    notices = {r.user_id: _text(r) for r in rows(OutboxKind.SET_NOTICE, key__contains=":swap_made")}

    news = notices[newcomer.pk]
    assert "Your own turns are unchanged" not in news
    assert f"You now facilitate session 6 ({_day(last, newcomer)})" in news
    assert "Your turns to present are unchanged" in news
    others = [u for u in users if u not in {proposer.pk, accepter.pk, newcomer.pk}]
    for other in others:
        assert "facilitate session 6" not in notices[other]
        assert "Your turns to present are unchanged" in notices[other]
