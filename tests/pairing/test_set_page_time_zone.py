"""The set page shows each session in the viewer's own time zone, as it says it does: a
member in Pago Pago sees Monday 20 September where London has Tuesday 21 September."""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.pairing.test_learning_set_pages import client_for
from tests.pairing.test_learning_set_updates import _five, _presenter

pytestmark = pytest.mark.django_db


def test_the_set_page_shows_sessions_in_the_members_own_time_zone():
    learning_set, _users, sessions = _five()
    member = _presenter(sessions[3])
    member.profile.time_zone = "Pacific/Pago_Pago"
    member.profile.save(update_fields=["time_zone"])
    session = sessions[3]
    there = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo("Pacific/Pago_Pago"))
    london = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo("Europe/London"))
    assert there.date() != london.date()

    page = client_for(member).get(reverse("pairing:set_detail", args=[learning_set.pk]))
    html = page.content.decode()
    card = html[html.index(f'id="session-{session.number}"') :]
    shown = re.search(r"<strong>([^<]+)</strong> to ([0-9:]+)", card)

    assert "Times are in your time zone (Pacific/Pago_Pago)" in html
    assert shown.group(1) == f"{there:%A} {there.day} {there:%B %Y, %H:%M}"
