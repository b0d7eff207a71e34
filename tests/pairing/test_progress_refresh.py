"""A round's delivery page refreshes while emails are being sent by a timer the organiser
can stop, not by a meta refresh they cannot (walk 22: axe's critical "meta-refresh", and a
page reloading forever where no worker sends the emails)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pairing.models import Round

pytestmark = pytest.mark.django_db


def _page(client, pairing_round) -> str:
    url = reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    return client.get(url).content.decode()


def test_a_running_round_refreshes_by_a_timer_with_a_stop_button(organiser_client, programme):
    running = Round.objects.create(
        programme=programme, number=1, scheduled_for="2026-12-07", status="running", seed=1
    )

    page = _page(organiser_client, running)

    without_noscript = re.sub(r"<noscript>.*?</noscript>", "", page, flags=re.S)
    assert 'http-equiv="refresh"' not in without_noscript
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in page
    assert "This page refreshes every 10 seconds while emails are being sent." in page
    assert '<button type="button" class="button" id="stop-refreshing" hidden>' in page
    assert "window.clearTimeout(timer)" in page


def test_a_finished_round_does_not_refresh(organiser_client, programme):
    done = Round.objects.create(
        programme=programme, number=1, scheduled_for="2026-12-07", status="done", seed=1
    )

    page = _page(organiser_client, done)

    assert "refresh" not in page.lower()
