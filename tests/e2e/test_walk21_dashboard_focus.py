"""In a browser, by keyboard: a change made from the second programme card on the
dashboard comes back to that card, with the focus on it and the message about the change
inside it, instead of at the top of the page (13 Tabs away)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AxeAuditor, focused_description, tab_to
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def _focused_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement?.id ?? ''")


@pytest.fixture
def second_card(live_server: object) -> str:
    round_on = timezone.localdate() + dt.timedelta(days=20)
    user = UserFactory(email="lowri@example.org", profile__display_name="Lowri Evans")
    for name, slug in (("Archives coffee", "archives"), ("Health libraries coffee", "health")):
        programme = ProgrammeFactory(name=name, slug=slug, next_round_on=round_on)
        MembershipFactory(user=user, programme=programme)
    return "membership-health"


def test_skip_and_include_by_keyboard_come_back_to_the_second_card(
    page: Page, live_server: object, second_card: str
) -> None:
    base = live_server.url
    _log_in(page, base, "lowri@example.org")
    page.goto(f"{base}/me/")
    card = page.locator(f"#{second_card}")

    tab_to(page, f"#{second_card} form[action$='/skip/'] button")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{base}/me/#{second_card}")
    expect(card).to_be_focused()
    expect(card.get_by_role("status")).to_contain_text(
        "You will sit out the next round of Health libraries coffee"
    )
    # Only there: not at the top of the page too, and no empty live region up there.
    expect(page.get_by_role("status")).to_have_count(1)
    AxeAuditor(page).check("dashboard after a skip")

    # The next Tabs stay in the card: "Include me" is a few presses away, not fourteen.
    tab_to(page, f"#{second_card} form[action$='/skip/'] button", max_presses=4)
    page.keyboard.press("Enter")

    page.wait_for_load_state("load")
    expect(card).to_be_focused()
    expect(card.get_by_role("status")).to_contain_text(
        "You are back in the next round of Health libraries coffee"
    )
    assert _focused_id(page) == second_card, focused_description(page)


def test_cancel_on_the_pause_form_comes_back_to_the_card(
    page: Page, live_server: object, second_card: str
) -> None:
    base = live_server.url
    _log_in(page, base, "lowri@example.org")
    page.goto(f"{base}/me/")

    tab_to(page, f"#{second_card} a[href$='/pause/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/pause/$"))
    tab_to(page, ".actions a.button[href^='/me/']")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{base}/me/#{second_card}")
    expect(page.locator(f"#{second_card}")).to_be_focused()


def test_leaving_comes_back_to_my_programmes_with_the_message_there(
    page: Page, live_server: object, second_card: str
) -> None:
    base = live_server.url
    _log_in(page, base, "lowri@example.org")
    page.goto(f"{base}/me/")

    tab_to(page, f"#{second_card} a[href$='/leave/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/leave/$"))
    page.get_by_role("button", name="Leave the programme").press("Enter")

    page.wait_for_url(f"{base}/me/#programmes")
    section = page.locator("#programmes")
    expect(section).to_be_focused()
    expect(section.get_by_role("status")).to_have_text("You have left Health libraries coffee.")
    expect(page.locator(f"#{second_card}")).to_have_count(0)
