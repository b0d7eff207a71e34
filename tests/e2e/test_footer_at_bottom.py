"""A short page's footer sits at the bottom of the window, at 1280 and 360 px; a long
page's footer still comes after all its content."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GEOMETRY = """() => {
  const footer = document.querySelector('.site-footer').getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {footerBottom: footer.bottom, footerTop: footer.top, mainBottom: main.bottom,
          mainWidth: main.width, windowHeight: window.innerHeight,
          scrollHeight: document.documentElement.scrollHeight,
          docWidth: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("width", [1280, 360])
def test_a_short_pages_footer_reaches_the_bottom_of_the_window(page: Page, live_server, width):
    page.set_viewport_size({"width": width, "height": 1400})
    page.goto(f"{live_server.url}/accounts/password/reset/")

    box = page.evaluate(GEOMETRY)

    assert box["scrollHeight"] <= box["windowHeight"], "the page should not scroll"
    assert abs(box["footerBottom"] - box["windowHeight"]) <= 1, box
    # The content column keeps its width (60rem at most, the whole width on a phone).
    assert box["mainWidth"] == min(960, box["docWidth"]), box


def test_a_long_pages_footer_comes_after_its_content(page: Page, live_server):
    page.set_viewport_size({"width": 360, "height": 400})
    page.goto(f"{live_server.url}/privacy/")

    box = page.evaluate(GEOMETRY)

    assert box["scrollHeight"] > box["windowHeight"]
    assert box["footerTop"] >= box["mainBottom"] - 1, box
