"""The error summary's link to a group of checkboxes moves focus to the first checkbox, as
every other field's link does: in Chromium, as a member sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, live_server, client, user) -> None:
    log_in_as(page, live_server.url, client, user)


def test_the_interests_link_in_the_error_summary_focuses_the_first_checkbox(
    page: Page, live_server, client
) -> None:
    _log_in(page, live_server, client, UserFactory(email="ada@example.org"))
    page.goto(f"{live_server.url}/me/profile/")
    for box in page.locator("input[name=interests]").all():
        box.uncheck()
    page.get_by_role("button", name="Save my profile").click()

    page.locator("#error-summary").get_by_role("link", name="Interests").click()

    expect(page.locator("#id_interests_0")).to_be_focused()
