"""A programme's next round date set back to a round that has already run (a walk: round 1
planned for 7 December, run early on the 6th, then the date set back to the 7th): the
form refuses it, and a programme left on such a date moves on instead of sending a
"runs tomorrow" notice for a finished round and never running again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.models import OutboxEmail, OutboxKind, Programme, RoundStatus
from pairing.rounds.schedule import notices_send_due, rounds_run_due
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.pairing.test_programme_admin import _programme_form

pytestmark = pytest.mark.django_db


def _held_early(programme: Programme, planned: dt.date):
    """Round 1 planned for `planned`, run today (early)."""
    for user in UserFactory.create_batch(4):
        MembershipFactory(user=user, programme=programme)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=planned)
    return rounds.round_run(pairing_round=pairing_round, now=timezone.now())


def test_the_form_refuses_a_next_round_date_whose_round_has_already_run(organiser_client):
    today = timezone.localdate()
    planned = today + dt.timedelta(days=1)
    programme = ProgrammeFactory(name="Action learning spring", slug="action-learning-spring")
    _held_early(programme, planned)
    programme.refresh_from_db()
    assert programme.next_round_on != planned  # the run moved the schedule on

    url = reverse("admin:pairing_programme_change", args=[programme.pk])
    response = organiser_client.post(url, _programme_form(next_round_on=planned.isoformat()))

    body = response.content.decode()
    assert (
        f"Round 1 was planned for {planned:%-d %B %Y} and has already run (on "
        f"{today:%-d %B %Y}): choose a later day for the next round."
    ) in body
    assert "pairing_round_one_per_date" not in body
    programme.refresh_from_db()
    assert programme.next_round_on != planned
    later = planned + dt.timedelta(days=7)
    organiser_client.post(url, _programme_form(next_round_on=later.isoformat()))
    programme.refresh_from_db()
    assert programme.next_round_on == later


def test_a_programme_left_on_a_finished_rounds_date_moves_on_and_sends_no_notice():
    today = timezone.localdate()
    programme = ProgrammeFactory(cadence_days=28)
    first = _held_early(programme, today + dt.timedelta(days=1))
    # Set back by hand (or by an older version of the form).
    Programme.objects.filter(pk=programme.pk).update(next_round_on=first.scheduled_for)
    now = timezone.now()

    assert notices_send_due(now=now) == 0
    assert not OutboxEmail.objects.filter(kind=OutboxKind.NOTICE).exists()
    first.refresh_from_db()
    assert first.notice_sent_at is None

    ran = rounds_run_due(now=now + dt.timedelta(days=1))

    assert ran == []
    programme.refresh_from_db()
    assert programme.next_round_on == first.scheduled_for + dt.timedelta(days=28)
    assert first.status == RoundStatus.DONE and programme.rounds.count() == 1
