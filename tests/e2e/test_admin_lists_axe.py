"""The admin's lists with filter sidebars, and the programme form with its organisers
picker, in Chromium: axe finds no serious or critical WCAG 2.2 problem (the filter links
were smaller than 24 px targets; the picker's search icons carried an aria-label that a
plain span may not have)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AxeAuditor
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_admin_lists_and_the_programme_form_pass_axe(page: Page, live_server) -> None:
    programme = ProgrammeFactory(name="North West coffee")
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    programme.organisers.add(admin)
    MembershipFactory(user=UserFactory(profile__display_name="Ada Lovelace"), programme=programme)
    base = live_server.url
    axe = AxeAuditor(page)
    page.goto(f"{base}/admin/")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    for path in ("members/user", "pairing/membership", "pairing/round", "pairing/programme"):
        page.goto(f"{base}/admin/{path}/")
        expect(page.locator("#changelist-filter")).to_be_visible()
        axe.check(path)
    for path in ("pairing/programme/add/", f"pairing/programme/{programme.pk}/change/"):
        page.goto(f"{base}/admin/{path}")
        expect(page.locator(".selector-filter").first).to_be_visible()
        axe.check(path)


def test_a_learning_set_without_ground_rules_shows_the_error_in_its_folded_section(
    page: Page, live_server
) -> None:
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    base = live_server.url
    page.goto(f"{base}/admin/pairing/programme/add/")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    page.get_by_label("Name:").fill("Spring action learning")
    page.get_by_label("Kind:").select_option("learning_set")
    page.get_by_label("Group size:").fill("5")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    error = page.get_by_text("A learning set needs ground rules")
    expect(error).to_be_visible()  # Django unfolds a folded section with an error
    expect(page.get_by_label("Name:")).to_have_value("Spring action learning")
