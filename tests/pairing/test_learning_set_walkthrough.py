"""Fixes from a browser walk-through of learning sets: move forms pre-filled, merged
members' check-ins and records, moves kept in order, cycles refused in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.pairing.test_learning_set_pages import client_for, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_move_forms_prefill_the_date_in_iso(world):  # noqa: F811
    session = world.mine.sessions.get(number=2)
    local = timezone.localtime(session.starts_at, dt.UTC).date().isoformat()

    member_page = client_for(world.host).get(reverse("pairing:session_move", args=[session.pk]))
    admin_page = client_for(world.organiser).get(
        reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    )

    assert f'value="{local}"' in member_page.content.decode()
    assert f'name="s{session.pk}-day" value="{local}"' in admin_page.content.decode()
