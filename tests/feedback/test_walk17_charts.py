"""The sign-ups chart starts when the programme did: no months of 0 before it existed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import reports
from feedback.charts import report_charts
from pairing.models import Membership, Programme
from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

DECEMBER = dt.date(2026, 12, 6)


def _created(programme: Programme, on: dt.datetime) -> None:
    Programme.objects.filter(pk=programme.pk).update(created_at=on)
    programme.refresh_from_db()


def _bars(programme: Programme, today: dt.date) -> list[tuple[str, str]]:
    report = reports.programme_report(programme=programme, today=today, exact=True)
    return [(bar.label, bar.value_text) for bar in report_charts(report)["signups"].bars]


def test_the_chart_starts_the_month_the_programme_was_created_and_spans_at_most_12():
    programme = ProgrammeFactory(name="Winter coffee")
    _created(programme, dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    MembershipFactory(programme=programme)
    Membership.objects.update(joined_at=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    old = ProgrammeFactory(name="Old coffee")
    _created(old, dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC))

    old_bars = _bars(old, DECEMBER)

    assert _bars(programme, DECEMBER) == [("Dec 2026", "1")]
    assert len(old_bars) == 12
    assert old_bars[0] == ("Jan 2026", "0") and old_bars[-1] == ("Dec 2026", "0")


def test_the_chart_starts_at_the_first_sign_up_when_it_came_before_the_programme_was_created():
    programme = ProgrammeFactory(name="Imported coffee")
    _created(programme, dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC))
    MembershipFactory(programme=programme)
    Membership.objects.update(joined_at=dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC))

    assert _bars(programme, DECEMBER) == [("Oct 2026", "1"), ("Nov 2026", "0"), ("Dec 2026", "0")]


def test_the_evidence_page_charts_no_month_before_the_programme_existed(organiser_client):
    programme = ProgrammeFactory(name="Winter coffee")
    today = timezone.localdate()
    _created(programme, dt.datetime(today.year, today.month, 1, 12, tzinfo=dt.UTC))

    body = organiser_client.get(
        reverse("feedback:programme_report", args=[programme.pk])
    ).content.decode()

    assert f'<desc id="chart-signups-desc">Sign-ups by month: {today:%b %Y}: 0.</desc>' in body
