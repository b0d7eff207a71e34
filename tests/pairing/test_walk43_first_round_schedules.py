"""Walk 43: a new programme with its next round date left empty ran its first round from
the "Next round" page, and afterwards the date was still empty: members read "The next
round's date is not set yet" and no round ever followed. The date now moves on by the
cadence after a round with none set, and the programme form says what empty means."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Programme, Round
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_first_round_run_with_no_date_sets_the_next_one_a_cadence_on(organiser, organiser_client):
    programme = ProgrammeFactory(next_round_on=None, cadence_days=14)
    programme.organisers.add(organiser)
    for user in UserFactory.create_batch(4):
        MembershipFactory(user=user, programme=programme)
    today = timezone.localdate()

    organiser_client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    pairing_round = Round.objects.get(programme=programme)
    preview = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    organiser_client.post(preview, {"action": "run"})

    pairing_round.refresh_from_db()
    assert pairing_round.status == "done"
    assert Programme.objects.get(pk=programme.pk).next_round_on == today + dt.timedelta(days=14)


def test_the_programme_form_says_what_an_empty_next_round_date_means(organiser_client):
    page = organiser_client.get(reverse("admin:pairing_programme_add")).content.decode()

    assert "Empty: the first round runs when you preview and run it. After each round this " in page


def test_the_programme_form_explains_kind_sign_up_colleagues_and_follow_up(organiser_client):
    # Walk 46: these four fields had no help at all.
    page = organiser_client.get(reverse("admin:pairing_programme_add")).content.decode()

    for words in (
        "Mentoring: each pair is a mentee and a mentor at least as experienced.",
        "While ticked, members can join from the programme's page.",
        "Never put two members of the same organisation together",
        "Keep it shorter than the cadence, so the question comes before the next round",
    ):
        assert words in page, words
