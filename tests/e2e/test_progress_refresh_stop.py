"""A round's delivery page while emails wait: axe finds no problem (it had a critical
"meta-refresh"), and "Stop refreshing" stops the reloads (walk 22)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pairing.models import Round
from tests.e2e.helpers import AxeAuditor
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_the_sending_page_passes_axe_and_stops_refreshing_when_asked(page: Page, live_server):
    programme = ProgrammeFactory(name="North West coffee")
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    programme.organisers.add(admin)
    running = Round.objects.create(
        programme=programme, number=1, scheduled_for="2026-12-07", status="running", seed=1
    )
    axe = AxeAuditor(page)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/pairing/round/{running.pk}/progress/")
    axe.check("sending")
    loads = []
    page.on("load", lambda _page: loads.append(1))

    page.get_by_role("button", name="Stop refreshing").click()
    page.wait_for_timeout(11_000)

    expect(page.locator("#refreshing")).to_have_text(
        "Refreshing stopped: reload the page to see how far the sending has got."
    )
    expect(page.locator("#refreshing")).to_be_focused()  # not dropped to the page body
    assert loads == []
