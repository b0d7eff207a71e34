"""The evaluation form's text boxes count down to their limit as the member types, and
say how far over it they are, without cutting anything off: in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in_as
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_takeaway_box_counts_down_and_keeps_text_over_the_limit(
    page: Page, live_server, client
) -> None:
    ada = UserFactory(email="ada@example.org")
    ran = timezone.now() - dt.timedelta(days=40)
    match = make_match(done_round(ProgrammeFactory(), finished_at=ran), ada, UserFactory())
    log_in_as(page, live_server.url, client, ada)
    page.goto(f"{live_server.url}/me/matches/{match.pk}/feedback/")
    takeaway = page.locator("#id_takeaway")
    count = takeaway.locator("xpath=following-sibling::p[1]")
    expect(count).to_have_text("1,000 characters left")

    takeaway.fill("a" * 995)
    expect(count).to_have_text("5 characters left")
    takeaway.fill("a" * 1003)

    expect(count).to_have_text("3 characters too many")
    assert len(takeaway.input_value()) == 1003  # nothing cut off
