"""Walk 21: managing a membership from the dashboard. "Resume now" also cancels a skip,
a skip set before a pause is not hidden by it, every change comes back to its card with
its message in it, and the signed pause link speaks to the member as "you"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.links import make_link
from pairing.models import Membership, MembershipStatus
from pairing.services import memberships_resume_due
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


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _card(page: str, membership: Membership) -> str:
    start = page.index(f'id="membership-{membership.programme.slug}"')
    return page[start : page.index("</article>", start)]


def _top_messages(page: str) -> str:
    match = re.search(r'<div class="messages" role="status">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


def _dashboard(client) -> str:
    return client.get(reverse("members:dashboard")).content.decode()


def _skip(client, membership: Membership, skip: str = "1"):
    return client.post(reverse("pairing:membership_skip", args=[membership.pk]), {"skip": skip})


def _pause(client, membership: Membership, until: dt.date):
    url = reverse("pairing:membership_pause", args=[membership.pk])
    return client.post(url, {"until": until.isoformat()})


# --- Resume, pause and skip together ---------------------------------------------------


def test_resume_now_also_cancels_a_skip_and_says_when_the_member_is_next_included(
    member_client, membership
):
    _skip(member_client, membership)
    _pause(member_client, membership, PAUSE_ENDS)

    member_client.post(reverse("pairing:membership_resume", args=[membership.pk]))
    card = _card(_dashboard(member_client), membership)

    assert (
        "Welcome back: you are active in North West coffee and will be included in its "
        f"next round, on {_day(ROUND_ON)}." in card
    )
    assert "sit it out" not in card
    assert "Sitting out" not in card


def test_a_skip_set_before_a_pause_that_ends_before_the_round_shows_on_the_paused_card(
    member_client, membership
):
    _skip(member_client, membership)

    _pause(member_client, membership, PAUSE_ENDS)
    card = _card(_dashboard(member_client), membership)

    assert f"Paused until {_day(PAUSE_ENDS)}" in card
    assert "Sitting out the next round" in card
    assert "(you will sit it out)" in card
    assert "Include me in the next round" in card
    assert f"You still sit out the next round, on {_day(ROUND_ON)}, as you asked." in card


def test_pausing_through_the_next_round_drops_the_skip_so_it_does_not_outlive_the_pause(
    member_client, membership
):
    _skip(member_client, membership)
    _pause(member_client, membership, ROUND_ON + dt.timedelta(days=1))

    memberships_resume_due(today=ROUND_ON + dt.timedelta(days=1))
    card = _card(_dashboard(member_client), membership)

    assert "Active" in card
    assert "Sitting out" not in card
    assert "Skip the next round" in card


def test_a_pause_that_ends_by_itself_keeps_the_skip_the_member_set(member_client, membership):
    _skip(member_client, membership)
    _pause(member_client, membership, PAUSE_ENDS)

    memberships_resume_due(today=PAUSE_ENDS)
    card = _card(_dashboard(member_client), membership)

    assert "Sitting out the next round" in card
    assert "(you will sit it out)" in card


# --- Each change comes back to its card, with its message in it ------------------------


def test_skip_include_pause_and_resume_come_back_to_the_card(member_client, membership):
    card_url = f"{reverse('members:dashboard')}#membership-{membership.programme.slug}"

    skipped = _skip(member_client, membership)
    included = _skip(member_client, membership, skip="0")
    paused = _pause(member_client, membership, PAUSE_ENDS)
    resumed = member_client.post(reverse("pairing:membership_resume", args=[membership.pk]))

    assert [r["Location"] for r in (skipped, included, paused, resumed)] == [card_url] * 4


def test_joining_comes_back_to_the_new_card_with_its_message(member_client, programme):
    response = member_client.post(reverse("pairing:programme_detail", args=[programme.slug]))
    page = _dashboard(member_client)

    assert response["Location"] == f"/me/#membership-{programme.slug}"
    membership = Membership.objects.get(programme=programme)
    assert "You have joined North West coffee." in _card(page, membership)
    assert "You have joined" not in _top_messages(page)


def test_leaving_comes_back_to_my_programmes_with_its_message_there(member_client, membership):
    response = member_client.post(reverse("pairing:membership_leave", args=[membership.pk]))
    page = _dashboard(member_client)

    assert response["Location"] == "/me/#programmes"
    section = page[page.index('id="programmes"') : page.index("</section>")]
    assert "You have left North West coffee." in section
    assert "You have left" not in _top_messages(page)


def test_the_message_is_in_the_card_and_not_at_the_top(member_client, membership):
    _skip(member_client, membership)
    page = _dashboard(member_client)

    card = _card(page, membership)
    assert f"You will sit out the next round of North West coffee, on {_day(ROUND_ON)}." in card
    assert f'aria-describedby="membership-{membership.programme.slug}-messages"' in card
    assert "You will sit out" not in _top_messages(page)


def test_other_messages_still_show_at_the_top(member_client, membership):
    # A button's address opened as a link: the general message is not a card's.
    member_client.get(reverse("pairing:membership_resume", args=[membership.pk]))

    assert "Nothing was changed" in _top_messages(_dashboard(member_client))


def test_cancel_on_the_pause_form_goes_back_to_the_card(member_client, membership):
    page = member_client.get(reverse("pairing:membership_pause", args=[membership.pk]))

    assert f'href="/me/#membership-{membership.programme.slug}">Cancel</a>' in page.content.decode()


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
