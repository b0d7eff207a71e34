"""Walk 21: the signed pause link's pages speak to the member as "you" (the link is for
them alone), not of them by name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pairing.links import make_link
from pairing.models import Membership, MembershipStatus
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAUSE_ENDS = TODAY + dt.timedelta(days=10)
ROUND_ON = TODAY + dt.timedelta(days=20)


@pytest.fixture
def membership(member, programme) -> Membership:
    programme.next_round_on = ROUND_ON
    programme.save(update_fields=["next_round_on"])
    return MembershipFactory(user=member, programme=programme)


# --- The signed pause link speaks to the member -----------------------------------------


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_pause_link_confirmation_says_you_not_the_members_name(client, membership):
    response = client.post(_path(make_link(membership, "pause")), {"until": PAUSE_ENDS.isoformat()})

    text = response.content.decode()
    assert "You will not be matched in North West coffee before" in text
    assert "From that date you are included again automatically." in text
    assert "Ada Lovelace will not be matched" not in text


def test_the_pause_link_opened_again_says_you_not_the_members_name(client, membership):
    membership.status = MembershipStatus.PAUSED
    membership.paused_until = PAUSE_ENDS
    membership.save()

    text = client.get(_path(make_link(membership, "pause"))).content.decode()

    assert "You will not be matched in North West coffee before" in text
    assert "Ada Lovelace will not be matched" not in text
