"""The organiser home, concern triage and the blocks list in Chromium: an organiser lands
on the home after logging in, follows a figure to its detail, triages a concern with the
keyboard-reachable form; axe finds no serious or critical problem on any of these pages,
and none scrolls sideways at 360 px."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from pairing.models import Block, Concern
from tests.e2e.helpers import AxeAuditor
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round, send_intro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _community():
    programme = ProgrammeFactory(name="North West coffee", next_round_on=dt.date(2099, 3, 3))
    ProgrammeFactory(name="Someone else's programme")
    organiser = UserFactory(
        email="org@example.org", is_staff=True, profile__display_name="Olive Organiser"
    )
    programme.organisers.add(organiser)
    ada = UserFactory(profile__display_name="Ada Lovelace")
    grace = UserFactory(profile__display_name="Grace Hopper")
    for person in (ada, grace):
        MembershipFactory(user=person, programme=programme)
    match = make_match(make_round(programme, 1), ada, grace)
    send_intro(match)
    evaluate(match, ada)
    Concern.objects.create(reporter=ada, match=match, text="Grace did not turn up twice.")
    Block.objects.create(user=ada, blocked=grace)
    return programme, organiser


def _log_in(page: Page, base: str, axe: AxeAuditor) -> None:
    page.goto(f"{base}/admin/")
    axe.check("log in")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_organiser_lands_on_the_home_and_triages_a_concern(page: Page, live_server) -> None:
    _community()
    base = live_server.url
    axe = AxeAuditor(page)

    _log_in(page, base, axe)
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Your programmes")).to_be_visible()
    home = page.locator(".programme-summary")
    expect(home).to_have_count(1)
    expect(home).to_contain_text("Tue 3 Mar 2099: 2 members eligible")
    expect(home).to_contain_text("introductions and notices 1 sent, none failed")
    expect(home).to_contain_text("1 of 1 answer (100%)")
    expect(page.get_by_text("Someone else's programme")).to_have_count(0)
    axe.check("organiser home")

    home.get_by_role("link", name="1 new").click()
    expect(page.locator("#result_list")).to_contain_text("Ada Lovelace")
    expect(page.locator("#result_list")).to_contain_text("Grace Hopper")
    axe.check("concerns")

    page.locator("#result_list tbody a").first.click()
    expect(page.get_by_text("Grace did not turn up twice.")).to_be_visible()
    axe.check("concern")
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("Handler").select_option(label="Olive Organiser")
    page.get_by_label("Notes").fill("Emailed Ada on Monday.")
    page.get_by_role("button", name="Save", exact=True).click()
    # Back on the list of new concerns, which this one has left.
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#result_list")).to_have_count(0)
    axe.check("new concerns, none left")
    page.goto(f"{base}/admin/pairing/concern/")
    expect(page.locator("#result_list")).to_contain_text("In progress")
    expect(page.locator("#result_list")).to_contain_text("Olive Organiser")
    axe.check("concerns after saving")

    page.goto(f"{base}/admin/pairing/block/")
    expect(page.locator("#result_list")).to_contain_text("North West coffee")
    axe.check("blocks")
    axe.assert_every_page_scanned()


def test_the_pages_fit_a_phone(page: Page, live_server) -> None:
    _community()
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 800})
    axe = AxeAuditor(page)

    _log_in(page, base, axe)
    expect(page.get_by_role("heading", name="Your programmes")).to_be_visible()
    axe.check("organiser home at 360 px")
    _no_sideways_scroll(page)
    for label, path in [
        ("concerns", "/admin/pairing/concern/"),
        ("blocks", "/admin/pairing/block/"),
    ]:
        page.goto(f"{base}{path}")
        axe.check(f"{label} at 360 px")
        _no_sideways_scroll(page)
    axe.assert_every_page_scanned()
