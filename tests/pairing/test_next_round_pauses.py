"""The next-round page lists who is not eligible as of today; a member whose pause ends
before the round's own date is told apart (a walk: "paused until 20 December" for a
round on 7 January read as if they would miss it)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.pairing.set_helpers import join

pytestmark = pytest.mark.django_db


def test_the_next_round_page_says_a_pause_ends_in_time_for_the_rounds_date(
    programme, organiser_client
):
    from django.urls import reverse
    from django.utils import timezone

    from pairing.models import MembershipStatus

    today = timezone.localdate()
    programme.next_round_on = today + dt.timedelta(days=30)
    programme.save()
    (back_in_time, still_away) = join(programme, 2)
    for user, days in ((back_in_time, 10), (still_away, 40)):
        programme.memberships.filter(user=user).update(
            status=MembershipStatus.PAUSED, paused_until=today + dt.timedelta(days=days)
        )

    page = organiser_client.get(
        reverse("admin:pairing_programme_next_round", args=[programme.pk])
    ).content.decode()

    back = today + dt.timedelta(days=10)
    away = today + dt.timedelta(days=40)
    on = programme.next_round_on
    assert (
        f"paused until {back:%-d %B %Y}: back in time for this round if it runs on {on:%-d %B %Y}"
    ) in page
    assert f"paused until {away:%-d %B %Y}</td>" in page
    assert "not eligible, as of today." in page
