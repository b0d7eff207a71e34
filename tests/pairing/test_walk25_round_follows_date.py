"""Walk 25: changing the next round's date left the previewed round planned on the old
day ("Round 3 (planned 21 Dec): Planned" under a new round 4), to be run out of turn.
The open round, with its draft, now moves with the date."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.models import Programme, Round, RoundStatus
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.pairing.test_programme_admin import _programme_form

pytestmark = pytest.mark.django_db
OPEN = (RoundStatus.PLANNED, RoundStatus.FAILED)


def _previewed(programme: Programme, day: dt.date) -> Round:
    for user in UserFactory.create_batch(4):
        MembershipFactory(user=user, programme=programme)
    Programme.objects.filter(pk=programme.pk).update(next_round_on=day)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=day)
    rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate())
    return pairing_round


def test_a_new_date_in_the_programme_form_takes_the_previewed_round_with_it(
    organiser_client,
):
    today = timezone.localdate()
    programme = ProgrammeFactory(name="Coffee north", slug="coffee-north")
    first, later = today + dt.timedelta(days=7), today + dt.timedelta(days=14)
    pairing_round = _previewed(programme, first)
    groups = pairing_round.draft["groups"]
    url = reverse("admin:pairing_programme_change", args=[programme.pk])

    response = organiser_client.post(
        url, _programme_form(next_round_on=later.isoformat()), follow=True
    )

    assert (
        f"Round 1 moved with the date: it is now planned for {later:%-d %B %Y}, with your "
        "draft kept."
    ) in html.unescape(response.content.decode())
    open_rounds = list(programme.rounds.filter(status__in=OPEN))
    assert [(r.pk, r.scheduled_for) for r in open_rounds] == [(pairing_round.pk, later)]
    assert open_rounds[0].draft["groups"] == groups
    # "Preview the next round" opens the same round, not a new one.
    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    assert programme.rounds.count() == 1


def test_preview_with_the_date_cleared_takes_the_open_round_to_today(organiser_client):
    today = timezone.localdate()
    programme = ProgrammeFactory()
    pairing_round = _previewed(programme, today + dt.timedelta(days=7))
    Programme.objects.filter(pk=programme.pk).update(next_round_on=None)

    response = organiser_client.post(
        reverse("admin:pairing_programme_next_round", args=[programme.pk]), follow=True
    )

    assert "Round 1 moved with the date: it is now planned for" in html.unescape(
        response.content.decode()
    )
    assert list(programme.rounds.values_list("pk", "scheduled_for")) == [(pairing_round.pk, today)]


def test_a_round_that_ran_or_a_day_already_taken_never_moves():
    today = timezone.localdate()
    programme = ProgrammeFactory()
    done = _previewed(programme, today + dt.timedelta(days=7))
    rounds.round_run(pairing_round=done, now=timezone.now())
    assert rounds.round_move_open(programme=programme, to=today + dt.timedelta(days=9)) is None

    planned = rounds.round_plan(programme=programme, scheduled_for=today + dt.timedelta(days=30))
    taken = rounds.round_move_open(programme=programme, to=done.scheduled_for)

    assert taken is None
    planned.refresh_from_db()
    assert planned.scheduled_for == today + dt.timedelta(days=30)
