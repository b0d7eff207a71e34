"""A slow preview formed by a real Celery worker through Redis, on PostgreSQL: the
organiser's request returns at once with the progress state, and the worker's groups
appear on the same page once formed."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from pairing.models import Round
from pairing.rounds import background
from tests.factories import UserFactory
from tests.pairing.set_helpers import join, learning_set_programme

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_slow_preview_is_formed_by_the_worker_while_the_page_shows_progress(
    embedded_worker, monkeypatch
):
    # 12 members in groups of 4 count as slow here, so the engine itself stays quick.
    monkeypatch.setattr(background, "FAST_GROUPS", 8)
    programme = learning_set_programme(group_size=4)
    join(programme, 12)
    organiser = UserFactory(is_staff=True)
    programme.organisers.add(organiser)
    client = Client()
    client.force_login(organiser)

    started = time.monotonic()
    response = client.post(reverse("admin:pairing_programme_next_round", args=[programme.pk]))
    returned = time.monotonic() - started
    pairing_round = Round.objects.get(programme=programme)
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    assert response.url == url
    assert "Forming groups" in client.get(url).content.decode()  # no worker yet

    with embedded_worker():
        deadline = time.monotonic() + 60
        while client.get(url + "?poll=1").json()["forming"] and time.monotonic() < deadline:
            time.sleep(0.2)

    page = client.get(url).content.decode()
    pairing_round.refresh_from_db()
    print(f"preview request returned in {returned:.2f} s")
    assert pairing_round.progress_note == "", pairing_round.error
    assert "preview-groups" in page and page.count("Lock set") == 3
    assert returned < 2
