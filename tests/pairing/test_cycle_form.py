"""The organisers' cycle form: only learning set programmes to choose from, and one
message per mistake."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pairing.sets.models import Cycle
from tests.factories import ProgrammeFactory
from tests.pairing.set_helpers import learning_set_programme
from tests.pairing.test_learning_set_pages import _cycle_form

pytestmark = pytest.mark.django_db


def test_the_programme_list_offers_only_learning_set_programmes(organiser_client):
    learning_set_programme(name="Spring sets")
    ProgrammeFactory(kind="coffee", name="Coffee roulette")
    ProgrammeFactory(kind="search_review", name="Strategy swap")

    body = organiser_client.get("/admin/pairing/cycle/add/").content.decode()

    assert "Spring sets" in body
    assert "Coffee roulette" not in body and "Strategy swap" not in body


def test_a_malformed_online_link_gets_its_own_message_only(organiser_client):
    programme = learning_set_programme()

    response = organiser_client.post(
        "/admin/pairing/cycle/add/",
        _cycle_form(programme, online_link="zoom meeting 123", facilitation="rotating"),
    )

    body = response.content.decode()
    assert "Enter a valid URL." in body
    assert "Give a venue, an online link, or both." not in body
    assert 'value="zoom meeting 123"' in body  # nothing typed is lost
    assert not Cycle.objects.exists()


@pytest.mark.parametrize("typed", ["-2", "0", "27", "two"])
def test_weeks_between_sessions_states_its_range_once(organiser_client, typed):
    """Walk 28: -2 was refused with "greater than or equal to 0", then 0 with "greater than
    or equal to 1". Every wrong value now gets the range the form keeps to."""
    programme = learning_set_programme()

    response = organiser_client.post(
        "/admin/pairing/cycle/add/", _cycle_form(programme, interval_weeks=typed)
    )

    body = response.content.decode()
    assert "Enter a whole number from 1 to 26." in body
    assert "greater than or equal" not in body and "less than or equal" not in body
    assert not Cycle.objects.exists()


def test_the_number_box_carries_the_range(organiser_client):
    body = organiser_client.get("/admin/pairing/cycle/add/").content.decode()

    (box,) = re.findall(r'<input[^>]*name="interval_weeks"[^>]*>', body)
    assert 'min="1"' in box and 'max="26"' in box


def test_a_programme_number_states_its_range(organiser_client):
    programme = ProgrammeFactory(kind="search_review")
    url = f"/admin/pairing/programme/{programme.pk}/change/"
    page = organiser_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}

    response = organiser_client.post(url, {**data, "strategy_due_days": "0"})

    body = response.content.decode()
    assert "Enter a whole number from 1 to 28." in body
    assert "greater than or equal" not in body


def test_the_first_week_says_which_seven_days_it_means(organiser_client):
    """Walk 28: "first session (week of)" 12 January, a Tuesday: one set met on Tuesday
    12, another on Monday 18 January. The form says the week is the seven days from the
    date; members read the weekday it starts on."""
    from html import unescape

    from pairing.commitment import commitment

    body = unescape(organiser_client.get("/admin/pairing/cycle/add/").content.decode())

    assert "First session week starts on" in body
    assert "falls in the seven days from this date (from a Tuesday: Tuesday to the Monday" in body
    programme = learning_set_programme()
    Cycle.objects.create(programme=programme, first_session_on=dt.date(2037, 1, 13), venue="Room 1")
    assert "from the week starting Tuesday 13 January 2037" in commitment(programme)
