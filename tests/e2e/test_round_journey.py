"""An organiser previews and runs a round in the admin; a member then sees the match on
the dashboard, and the introduction with its .ics arrives over real SMTP."""

from __future__ import annotations

import re

import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from pairing.models import Match, OutboxEmail, Round
from tests.e2e.helpers import AxeAuditor, SmtpSink, plain_body
from tests.factories import InterestFactory, MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def test_organiser_previews_and_runs_a_round_and_the_member_is_introduced(
    page: Page, browser: Browser, live_server: object, smtp_sink: SmtpSink, tasks_in_process: None
) -> None:
    topics = [InterestFactory(name="Systematic searching"), InterestFactory(name="Open access")]
    programme = ProgrammeFactory(name="North West coffee")
    organiser = UserFactory(
        email="org@example.org",
        is_staff=True,
        is_superuser=True,
        profile__display_name="Olive Organiser",
    )
    ada = UserFactory(
        email="ada@example.org",
        profile__display_name="Ada Lovelace",
        profile__interests=topics,
        profile__show_organisation=True,
        profile__organisation="Analytical Library",
    )
    grace = UserFactory(
        email="grace@example.org",
        profile__display_name="Grace Hopper",
        profile__interests=topics,
        profile__time_zone="Europe/Paris",
    )
    for user in (ada, grace):
        MembershipFactory(user=user, programme=programme)
    base = live_server.url
    assert organiser.is_staff

    # --- Organiser: eligibility, preview, confirm, run ---------------------------------
    _log_in(page, base, "org@example.org")
    page.goto(f"{base}/admin/pairing/programme/{programme.pk}/next-round/")
    expect(page.get_by_role("main")).to_contain_text("2 members eligible")
    AxeAuditor(page).check("next round")
    page.get_by_role("button", name="Preview the next round").click()

    expect(page.locator("#preview-groups")).to_contain_text("Ada Lovelace")
    expect(page.locator("#preview-groups")).to_contain_text("Grace Hopper")
    expect(page.locator("#preview-groups")).to_contain_text("Open access, Systematic searching")
    assert Match.objects.count() == 0  # a preview saves nothing
    AxeAuditor(page).check("preview")
    page.get_by_role("link", name="Run this round…").click()
    expect(page.locator("#confirm-run")).to_contain_text("This saves 1 match and emails")
    page.get_by_role("button", name=re.compile("Yes, run the round")).click()

    expect(page.locator("#round-status")).to_have_text("Done")
    expect(page.locator("#delivered")).to_have_text("1")
    expect(page.locator("#round-matches")).to_contain_text("Sent")
    AxeAuditor(page).check("round progress")
    assert Round.objects.get().status == "done"
    assert OutboxEmail.objects.get().status == "sent"

    # --- The introduction, over SMTP ---------------------------------------------------
    (intro,) = smtp_sink.wait_for(1)
    assert sorted(a.strip() for a in intro["To"].split(",")) == [
        "ada@example.org",
        "grace@example.org",
    ]
    body = plain_body(intro)
    assert "Ada Lovelace" in body and "Grace Hopper" in body
    assert "Analytical Library" in body
    ics = next(p for p in intro.iter_attachments() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    (event,) = calendar.walk("VEVENT")
    assert Match.objects.get().suggested_start == event.decoded("DTSTART")

    # --- The member sees the match ----------------------------------------------------
    member_page = browser.new_context(bypass_csp=True).new_page()
    _log_in(member_page, base, "ada@example.org")
    member_page.goto(f"{base}/me/")
    axe = AxeAuditor(member_page)
    introductions = member_page.get_by_role("main")
    expect(introductions).to_contain_text("Grace Hopper")
    axe.check("dashboard with a match")
    member_page.get_by_role("link", name=re.compile("Grace Hopper")).first.click()
    expect(member_page.get_by_role("heading", level=1)).to_be_visible()
    expect(member_page.get_by_role("main")).to_contain_text("Grace Hopper")
    expect(member_page.get_by_role("main")).not_to_contain_text("grace@example.org")
    axe.check("match detail")
