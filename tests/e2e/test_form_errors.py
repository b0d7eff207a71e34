"""A form-wide error (a wrong password) is said once, in the red summary at the top, not
again just below it in the form: in Chromium, as a member sees and hears it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AxeAuditor
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_wrong_password_is_said_once_in_the_summary(page: Page, live_server) -> None:
    UserFactory(email="ada@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("not correct")
    shown = page.get_by_text("not correct").filter(visible=True)
    expect(shown).to_have_count(1)
    AxeAuditor(page).check("log-in with an error")
