"""The organisers' cycle form: only learning set programmes to choose from, and one
message per mistake."""

from __future__ import annotations

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
