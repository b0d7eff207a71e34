"""Pressing "Preview the next round" when that day's round has already run (no next date
set) says so on the next-round page, instead of opening the round's delivery page as if
it were the preview (walk 22)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Round
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_preview_after_todays_round_ran_says_to_set_the_next_date(organiser_client, programme):
    programme.next_round_on = None
    programme.save()
    for _ in range(4):
        MembershipFactory(programme=programme)
    Round.objects.create(
        programme=programme, number=7, scheduled_for=timezone.localdate(), status="done", seed=1
    )
    url = reverse("admin:pairing_programme_next_round", args=[programme.pk])

    response = organiser_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == url
    page = html.unescape(response.content.decode())
    assert (
        "Round 7 has already run: set the date of the next round (edit the programme) to "
        "preview another."
    ) in page
    assert Round.objects.filter(programme=programme).count() == 1
