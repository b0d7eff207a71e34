"""The leave page says what becomes of the introduction the member is in now (walk 28: it
said nothing of a live search review whose partner waited for a strategy)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db


def _leave_page(
    client, kind: str, *, matched: bool = True, elsewhere: bool = False, name: str = "Swap"
) -> str:
    programme = ProgrammeFactory(kind=kind, name=name)
    nina = UserFactory(profile__display_name="Nina Patel")
    malik = UserFactory(profile__display_name="Malik Ahmed")
    membership = MembershipFactory(user=nina, programme=programme)
    MembershipFactory(user=malik, programme=programme)
    ran = timezone.now() - dt.timedelta(days=3)
    if matched:
        other = ProgrammeFactory(kind="coffee", name=f"{name} too") if elsewhere else programme
        make_match(done_round(other, finished_at=ran), nina, malik)
    client.force_login(nina)
    html = client.get(reverse("pairing:membership_leave", args=[membership.pk])).content
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


def test_a_search_review_partner_waiting_is_named_with_what_leaving_means(client):
    page = _leave_page(client, "search_review")

    assert "Your current introduction Round 1 with Malik Ahmed" in page
    assert "Nothing more will be asked of you there: no strategy to share and no review" in page
    assert "Your partner will see that you have left." in page


def test_a_coffee_introduction_stays_to_meet_and_answer(client):
    page = _leave_page(client, "coffee")

    assert "Round 1 with Malik Ahmed" in page
    assert (
        "It stays on your dashboard: you can still meet and say how it went there, though we "
        "will not email you to ask."  # walk 43: no follow-up comes to a member who left
    ) in page


def test_nothing_is_said_without_a_current_introduction_here(client):
    assert "current introduction" not in _leave_page(client, "coffee", matched=False).lower()
    # An introduction in another programme is not this one's to mention.
    page = _leave_page(client, "coffee", elsewhere=True, name="Another")
    assert "current introduction" not in page.lower()


def test_a_learning_set_member_is_told_the_set_goes_on_without_them(client):
    from members.models import User
    from pairing.models import Membership
    from pairing.sets.selectors import set_member_ids
    from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

    programme = learning_set_programme(name="Action learning")
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    user = User.objects.get(pk=set_member_ids(learning_set)[0])
    client.force_login(user)
    membership = Membership.objects.get(user=user, programme=programme)

    html = client.get(reverse("pairing:membership_leave", args=[membership.pk])).content
    page = " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())

    assert "You will not be included in future cycles." in page
    assert "Your current introduction Your learning set with" in page
    assert "Leaving takes you out of your set's sessions to come." in page
