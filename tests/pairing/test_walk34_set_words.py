"""Walk 34: a learning set's member read "You will be included in rounds again" on the
pause page, with nothing on what a pause does to the set they meet; the organiser's
preview with no cycle set up read "Run now, they meet ... and sends each member ..."."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from pairing.links import make_link
from pairing.models import Round
from tests.factories import MembershipFactory
from tests.pairing.set_helpers import join, learning_set_programme

pytestmark = pytest.mark.django_db

SET_HELP = (
    "You will be included in new cycles again from this date. If you are in a set, a pause "
    "does not take you out of it: to stop meeting it, leave the set."
)


def _text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_the_pause_page_of_a_learning_set_speaks_of_cycles_and_the_set(member_client, member):
    membership = MembershipFactory(user=member, programme=learning_set_programme())

    page = _text(member_client.get(reverse("pairing:membership_pause", args=[membership.pk])))
    by_link = _text(member_client.get(urlsplit(make_link(membership, "pause")).path))

    assert SET_HELP in page and SET_HELP in by_link
    assert "rounds" not in page
    for text in (page, by_link):  # walk 35: "While paused you are not matched."
        assert "While paused you are not placed in a new set." in text
        assert "not matched" not in text


def test_the_pause_page_of_a_coffee_programme_still_speaks_of_rounds(member_client, member):
    membership = MembershipFactory(user=member)

    page = _text(member_client.get(reverse("pairing:membership_pause", args=[membership.pk])))

    assert "You will be included in rounds again from this date." in page
    assert "While paused you are not matched." in page
    assert "set you are in" not in page


def test_the_preview_without_a_cycle_says_what_forming_the_sets_would_do(organiser_client):
    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    draft = Round.objects.get(programme=programme)

    page = _text(organiser_client.get(reverse("admin:pairing_round_preview", args=[draft.pk])))

    assert (
        "No cycle is set up for these sets. If they are formed without one, they meet in a "
        "new cycle with the defaults: 6 sessions of 3 hours, every 8 weeks from "
        "the week starting "
    ) in page
    assert (
        "with no venue or online link, a different member facilitating each session, and "
        "each member is sent every session's invitation. To choose otherwise, add a cycle for "
        "this programme first."
    ) in page


def _cycle_form(programme) -> dict:
    return {
        "programme": programme.pk,
        "first_session_on": (timezone.localdate() + dt.timedelta(weeks=3)).isoformat(),
        "start_time": "10:00",
        "sessions": 6,
        "interval_weeks": 8,
        "session_minutes": 180,
        "venue": "Central Library, room 3",
        "online_link": "",
        "facilitation": "rotating",
        "facilitator_name": "",
        "facilitator_email": "",
    }


def test_adding_a_cycle_from_the_preview_comes_back_to_the_preview(organiser_client):
    programme = learning_set_programme(group_size=4)
    join(programme, 8)
    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    draft = Round.objects.get(programme=programme)
    preview_url = reverse("admin:pairing_round_preview", args=[draft.pk])
    page = organiser_client.get(preview_url).content.decode()
    add_url = html.unescape(re.search(r'href="([^"]*/cycle/add/[^"]*)">Add a cycle', page).group(1))

    assert organiser_client.get(add_url).status_code == 200
    response = organiser_client.post(add_url, _cycle_form(programme), follow=True)

    assert response.redirect_chain[0][0] == preview_url
    text = _text(response)
    assert "these sets will meet in it" in text
    assert "The sets will meet 6 times, every 8 weeks" in text and "at Central Library" in text


def test_a_cycle_added_with_an_off_site_next_goes_to_the_cycles_list(organiser_client):
    programme = learning_set_programme(group_size=4)
    add_url = reverse("admin:pairing_cycle_add") + "?next=https://elsewhere.example/"

    response = organiser_client.post(add_url, _cycle_form(programme))

    assert response.status_code == 302
    assert response.url == reverse("admin:pairing_cycle_changelist")
