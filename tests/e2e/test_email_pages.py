"""The email pages in Chromium: the bounce banner and the email settings page of a member
whose address bounced, and the one-click unsubscribe page opened from an email without
logging in; axe finds no serious or critical WCAG problem on any of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from members.mailing import bounce_record, unsubscribe_token
from members.models import BounceKind, EmailOptOut
from tests.e2e.helpers import AxeAuditor, log_in_as
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bounce_banner_settings_and_unsubscribe_pages_pass_axe(page: Page, live_server, client):
    ada = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    bounce_record(email=ada.email, kind=BounceKind.BOUNCED, detail="550 5.1.1", source="smtp")
    base = live_server.url
    axe = AxeAuditor(page)

    token = unsubscribe_token(user_id=ada.pk, category="reminders")
    page.goto(f"{base}/email/unsubscribe/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    axe.check("unsubscribe: asks")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    axe.check("unsubscribe: done")
    assert EmailOptOut.objects.filter(user=ada, category="reminders").exists()

    log_in_as(page, base, client, ada)
    page.goto(f"{base}/me/")
    expect(page.locator("#email-bounce-banner")).to_contain_text("are not arriving")
    axe.check("dashboard with the bounce banner")
    page.get_by_role("link", name="Update or confirm your address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email settings")
    expect(page.get_by_role("checkbox", name="Reminders and follow-ups")).not_to_be_checked()
    axe.check("email settings")
    axe.assert_every_page_scanned()
