"""A round preview of several pages of groups in a real browser: the page links are
reached by keyboard with a visible focus, the current page is marked, axe finds nothing
serious, and at 360 px the page does not scroll sideways."""

from __future__ import annotations

import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from pairing.rounds import round_plan
from pairing.views import preview_page
from tests.e2e.helpers import AxeAuditor, assert_focus_visible, tab_to
from tests.factories import ProgrammeFactory, UserFactory
from tests.pairing.set_helpers import join

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_the_pages_of_groups_are_links_a_keyboard_reaches(
    page: Page, live_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_page, "PER_PAGE", 4)
    programme = ProgrammeFactory(name="National coffee")
    join(programme, 20)  # ten pairs: three pages
    organiser = UserFactory(email="org@example.org", is_staff=True)
    programme.organisers.add(organiser)
    pairing_round = round_plan(programme=programme, scheduled_for=timezone.localdate())
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill("org@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("load")
    axe = AxeAuditor(page)
    page.goto(f"{base}/admin/pairing/round/{pairing_round.pk}/preview/")
    axe.check("preview, page 1")

    nav = page.get_by_role("navigation", name="Pages of groups")
    expect(nav.locator('[aria-current="page"]')).to_have_text("Page 1")
    tab_to(page, '.preview-pages a[href*="page=2"]')
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"\?page=2#groups$"))
    expect(nav.locator('[aria-current="page"]')).to_have_text("Page 2")
    expect(page.locator("#preview-groups tbody tr")).to_have_count(4)
    axe.check("preview, page 2")
    page.set_viewport_size({"width": 360, "height": 800})
    if os.environ.get("E2E_DUMP_DIR"):
        page.screenshot(path=f"{os.environ['E2E_DUMP_DIR']}/preview-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe.assert_every_page_scanned()
