"""Walk 18: after accepting a swap of presenting turns, the member reads what changed
(both turns, dated in their own time zone, as the set page means to show them) and who was told,
not just "Swap accepted."."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pairing.sets import services
from tests.pairing.set_helpers import NOW
from tests.pairing.test_learning_set_pages import client_for
from tests.pairing.test_learning_set_updates import _day, _five, _presenter

pytestmark = pytest.mark.django_db


def test_accepting_a_swap_says_who_now_presents_when_and_that_everyone_was_emailed():
    learning_set, _users, sessions = _five()
    proposer, accepter = _presenter(sessions[6]), _presenter(sessions[3])
    accepter.profile.time_zone = "Pacific/Pago_Pago"
    accepter.profile.save(update_fields=["time_zone"])
    swap = services.swap_propose(
        learning_set=learning_set,
        proposer=proposer,
        my_session=sessions[6],
        partner=accepter,
        their_session=sessions[3],
        now=NOW,
    )

    response = client_for(accepter).post(
        reverse("pairing:swap_decide", args=[swap.pk]), {"decision": "accept"}, follow=True
    )

    shown = " ".join(str(m) for m in response.context["messages"])
    assert shown == (
        f"Swap accepted: you now present at session 6 ({_day(sessions[6], accepter)}) "
        f"and {proposer.profile.display_name} at session 3 ({_day(sessions[3], accepter)}). "
        "Everyone in the set has been emailed."
    )
    # The member's own zone, not the site's: the test would not tell them apart otherwise.
    assert _day(sessions[6], accepter) != _day(sessions[6])
