"""Walk 39: a learning-set invitation said "each round of ... brings its members together
in sets of 5, introduced by email", which describes reshuffled rounds, not sets that meet
for a cycle. The invitation now says what taking part involves, as the programme page
does (``pairing.commitment``)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils.html import strip_tags

from pairing.outbox import build_message
from pairing.sets.models import Cycle
from tests.members.test_invitation_links import invite, outbox_for
from tests.pairing.set_helpers import learning_set_programme

pytestmark = pytest.mark.django_db


def _both(programme) -> tuple[str, str]:
    message = build_message(outbox_for(invite(programme)))
    page = " ".join(html.unescape(strip_tags(message.alternatives[0].content)).split())
    return " ".join(message.body.split()), page


def test_a_learning_set_invitation_describes_the_cycle_of_sessions():
    programme = learning_set_programme(name="Spring sets", group_size=5)
    Cycle.objects.create(
        programme=programme,
        first_session_on=dt.date(2027, 3, 2),
        sessions=4,
        interval_weeks=6,
        online_link="https://meet.example.org/sets",
    )

    for text in _both(programme):
        assert "brings its members together" not in text
        assert "What taking part in Spring sets involves: Sets of 5" in text
        assert (
            "each set meets 4 times, 3 hours each, every 6 weeks from the week "
            "starting Tuesday 2 March 2027 online."
        ) in text


def test_a_coffee_invitation_says_how_often_and_for_how_long(programme):
    for text in _both(programme):
        assert f"What taking part in {programme.name} involves: Each round (" in text
        assert "we introduce you by email to another member" in text
