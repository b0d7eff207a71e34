"""The organiser's page of a cycle's sets on a 360 px phone: the sessions tables scroll
inside their boxes (the page itself does not scroll sideways), held sessions say so."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AxeAuditor
from tests.factories import UserFactory
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_sets_page_fits_a_phone_and_says_which_sessions_were_held(
    page: Page, live_server: object
) -> None:
    programme = learning_set_programme()
    UserFactory(email="org@example.org", is_staff=True, is_superuser=True)
    join(programme, 10)
    # Formed nine weeks ago: each set's first session (two weeks on) has been held, the
    # second (eight weeks later) is a week away.
    cycle, _ = form_cycle(programme, now=timezone.now() - dt.timedelta(weeks=9))
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("org@example.org")
    page.locator("#id_password").fill("correct horse battery")
    page.get_by_role("button", name=re.compile("log in", re.I)).click()

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/admin/pairing/cycle/{cycle.pk}/sets/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    AxeAuditor(page).check("a cycle's sets at 360 px")  # its Move and Cancel buttons too
    first_rows = page.locator("table tbody tr:first-child td:nth-child(3)")
    assert first_rows.all_inner_texts() == ["Held", "Held"]
    second_rows = page.locator("table tbody tr:nth-child(2) td:nth-child(3)")
    assert second_rows.all_inner_texts() == ["Scheduled", "Scheduled"]
    # Rotating facilitation: each session names its facilitator, never its presenter.
    assert page.get_by_role("columnheader", name="Facilitating").count() == 2
    sessions = page.locator('[aria-label^="Sessions of set"] tbody tr').all()
    assert len(sessions) == 12  # two sets of six sessions
    for row in sessions:
        presenting, facilitating = row.locator("td").nth(2), row.locator("td").nth(3)
        assert facilitating.inner_text() not in ("", "-")
        assert facilitating.inner_text() not in presenting.inner_text()
