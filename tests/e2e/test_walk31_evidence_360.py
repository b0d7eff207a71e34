"""The evidence page at 360 px: the rounds table scrolls in its box, its caption wraps
within the screen, and a line says there is more to the right (walk 31: the caption was
cut to "Matches, evaluations, meeting rate a..." and the last columns looked missing)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import log_in_as
from tests.e2e.test_evidence_pages import _community

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_rounds_table_says_it_scrolls_and_keeps_its_caption_in_view(
    page: Page, live_server, client
) -> None:
    programme, organiser, _ada = _community()
    log_in_as(page, live_server.url, client, organiser)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/organise/programmes/{programme.pk}/evidence/")

    region = page.get_by_role("region", name="Rounds table (scrolls sideways on a small screen)")
    caption = region.locator("caption")
    box = caption.bounding_box()
    hint = region.evaluate("e => getComputedStyle(e, '::before').content")

    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert "Scroll sideways to see every column" in hint
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
