"""A programme's kind is fixed once it has run a round (walk 14: a mentoring programme
changed to coffee lost its matches' mentor and mentee roles); before that it may change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.models import Programme
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.pairing.test_programme_admin import _programme_form

pytestmark = pytest.mark.django_db
NAME, SLUG = "New professionals mentoring", "new-professionals-mentoring"


def _mentoring_programme() -> Programme:
    programme = ProgrammeFactory(kind="mentoring", name=NAME, slug=SLUG)
    for role, experience in (("offer", 3), ("seek", 1)):
        user = UserFactory(profile__experience=experience)
        MembershipFactory(user=user, programme=programme, mentoring_role=role)
    return programme


def _change(client, programme: Programme, **overrides):
    url = reverse("admin:pairing_programme_change", args=[programme.pk])
    return client.post(url, _programme_form(name=NAME, slug=SLUG, **overrides))


def test_the_kind_of_a_programme_that_has_run_a_round_cannot_change(organiser_client):
    programme = _mentoring_programme()
    planned = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())
    rounds.round_run(pairing_round=planned, now=timezone.now())

    response = _change(
        organiser_client, programme, kind="coffee", description="Pairs for new starters"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "This programme has already run rounds as a mentoring programme, so its kind cannot "
        "change: set up a new programme instead."
    ) in body
    assert "Pairs for new starters" in body  # nothing typed is lost
    programme.refresh_from_db()
    assert programme.kind == "mentoring"
    assert programme.description != "Pairs for new starters"


def test_a_programme_that_has_run_rounds_can_still_change_everything_else(organiser_client):
    programme = _mentoring_programme()
    planned = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())
    rounds.round_run(pairing_round=planned, now=timezone.now())

    response = _change(organiser_client, programme, kind="mentoring", description="Renamed")

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.description == "Renamed"


def test_the_kind_can_change_while_no_round_has_run(organiser_client):
    programme = _mentoring_programme()
    # A planned round (previewed, not run) holds no history yet.
    rounds.round_plan(
        programme=programme, scheduled_for=timezone.localdate() + dt.timedelta(days=3)
    )

    response = _change(organiser_client, programme, kind="coffee")

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.kind == "coffee"
