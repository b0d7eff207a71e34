"""A new member's first visit, in a real browser: sign up, verify by the emailed code, the
profile wizard with the keyboard alone, join a programme, pause it. Every page is scanned
with axe-core (no serious or critical WCAG 2.2 A/AA violation)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from members.models import User
from pairing.models import Membership, MembershipStatus
from tests.e2e.helpers import (
    AxeAuditor,
    SmtpSink,
    assert_focus_visible,
    extract_code,
    plain_body,
    tab_to,
    value_of,
)
from tests.factories import InterestFactory, ProgrammeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Rosalind Reader"
EMAIL = "rosalind.reader@example.org"
PASSWORD = "marginalia-in-the-stacks-42"


def wait_for_path(page: Page, base: str, path: str) -> None:
    """Wait for a page at `path`. A fragment may follow: after the skip link the URL ends in
    #main, and browsers carry a fragment over a redirect whose Location has none."""
    page.wait_for_url(re.compile("^" + re.escape(base + path) + "(#.*)?$"))


def fill_signup(page: Page, *, password2: str = PASSWORD, privacy: bool = True) -> None:
    page.get_by_label("Your name").fill(NAME)
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(password2)
    page.locator("#id_accept_code_of_conduct").check()
    if privacy:
        page.locator("#id_accept_privacy").check()


def press_into(page: Page, selector: str, *keys: str) -> None:
    """Tab forward to a field, check its focus is visible, then press the given keys."""
    tab_to(page, selector)
    assert_focus_visible(page, selector)
    for key in keys:
        page.keyboard.press(key)


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab forward to a text field, check its focus is visible, then type."""
    tab_to(page, selector)
    assert_focus_visible(page, selector)
    page.keyboard.type(text)


def enter_main_by_skip_link(page: Page) -> None:
    """From a fresh page: the first Tab reaches a visible skip link; Enter moves into main."""
    page.keyboard.press("Tab")
    assert_focus_visible(page, "a.skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_new_member_signs_up_verifies_completes_wizard_joins_and_pauses(
    page: Page, live_server: object, smtp_sink: SmtpSink
) -> None:
    # Transactional tests start from a flushed database: bring our own topics and programme.
    searching = InterestFactory(name="Systematic searching")
    InterestFactory(name="Open access")
    outreach = InterestFactory(name="Outreach and events")
    programme = ProgrammeFactory(
        name="North West coffee",
        kind="coffee",
        group_size=2,
        description="Monthly online coffee for library people.",
    )
    axe = AxeAuditor(page)
    base = live_server.url

    # --- Home, then sign up (mouse and fill are fine here) --------------------------------
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meet a fellow librarian")
    axe.check("home")

    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    wait_for_path(page, base, "/accounts/signup/")
    axe.check("sign-up form")
    fill_signup(page)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()

    # --- Verification by the code in the real email ----------------------------------------
    wait_for_path(page, base, "/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code we emailed you")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    axe.check("enter the code")

    messages = smtp_sink.wait_for(1)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    (message,) = messages
    assert smtp_sink.envelopes[0][1] == [EMAIL]
    assert message["To"] == EMAIL
    assert message["Subject"].startswith("[Library Coffee Trials] "), message["Subject"]
    body = plain_body(message)
    code = extract_code(body)
    assert f"{base}/accounts/confirm-email/" in body, body
    assert not User.objects.get(email=EMAIL).emailaddress_set.filter(verified=True).exists()

    # Follow the link in the email, in the same browser (the pending sign-up lives in the
    # session), as a member who closed the tab would.
    link = re.search(r"https?://\S+/accounts/confirm-email/", body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code we emailed you")
    axe.check("enter the code, from the email link")
    page.get_by_label(re.compile("code", re.I)).fill(code)
    page.get_by_role("button", name="Confirm").click()

    # --- Wizard, keyboard alone ------------------------------------------------------------
    wait_for_path(page, base, "/me/welcome/about/")
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    expect(page.locator("p.steps")).to_have_text("Step 1 of 3")
    expect(page.locator("#id_display_name")).to_have_value(NAME)
    assert EmailAddress.objects.filter(email=EMAIL, verified=True).count() == 1
    axe.check("wizard step 1")

    enter_main_by_skip_link(page)
    # The name typed at sign-up is prefilled; the first Tab in main lands on it.
    page.keyboard.press("Tab")
    assert_focus_visible(page, "#id_display_name")
    type_into(page, "#id_pronouns", "she/her")
    type_into(page, "#id_job_title", "Outreach librarian")
    press_into(page, "#id_role_band")
    page.keyboard.type("Librari")  # type-ahead in a closed select
    assert value_of(page, "#id_role_band") == "professional"
    press_into(page, "#id_sector")
    page.keyboard.type("Health")
    assert value_of(page, "#id_sector") == "health"
    press_into(page, "#id_experience", "ArrowDown", "ArrowDown")
    assert value_of(page, "#id_experience") == "1"
    type_into(page, "#id_organisation", "Northshire NHS Library")
    press_into(page, "#id_show_organisation", "Space")
    expect(page.locator("#id_show_organisation")).to_be_checked()
    press_into(page, "form.stack button.primary")
    expect(page.locator("form.stack button.primary")).to_have_text("Save and continue")
    page.keyboard.press("Enter")

    wait_for_path(page, base, "/me/welcome/meeting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How and when you meet")
    expect(page.locator("p.steps")).to_have_text("Step 2 of 3")
    axe.check("wizard step 2")
    # tab_to walks on from wherever the focus starts. (Having used the skip link on step 1,
    # the URL still ends in #main: the fragment survives the POST and redirect, so the
    # browser starts this page's Tab order in main.)
    press_into(page, "#id_region", "ArrowDown", "ArrowDown")
    assert value_of(page, "#id_region") == "north-west"
    press_into(page, "#id_time_zone")
    assert value_of(page, "#id_time_zone") == "Europe/London"
    # Nothing is ticked for the member the first time (not "Either" already chosen). Tab
    # enters a radio group with none checked on its first radio, Space chooses it, and
    # arrows move (and select) within it.
    expect(page.locator("input[name=meeting_format]:checked")).to_have_count(0)
    press_into(page, "input[name=meeting_format][value=online]", "Space")
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=meeting_format][value=in_person]")).to_be_checked()
    page.keyboard.press("ArrowUp")
    assert_focus_visible(page, "input[name=meeting_format][value=online]")
    expect(page.locator("input[name=meeting_format][value=online]")).to_be_checked()
    press_into(page, "input[name=availability][value=tue-morning]", "Space")
    press_into(page, "input[name=availability][value=thu-afternoon]", "Space")
    type_into(page, "#id_access_notes", "Captions on, please.")
    press_into(page, "form.stack button.primary", "Enter")

    wait_for_path(page, base, "/me/welcome/interests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you care about")
    expect(page.locator("p.steps")).to_have_text("Step 3 of 3")
    axe.check("wizard step 3")
    # Topics are listed by name: Outreach... comes before Systematic...
    press_into(page, f"input[name=interests][value='{outreach.pk}']", "Space")
    press_into(page, f"input[name=interests][value='{searching.pk}']", "Space")
    type_into(page, "#id_about", "I run events for NHS staff and love a good search filter.")
    press_into(page, "form.stack button.primary")
    expect(page.locator("form.stack button.primary")).to_have_text("Finish")
    page.keyboard.press("Space")

    # --- Programmes, join ------------------------------------------------------------------
    wait_for_path(page, base, "/programmes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    expect(page.get_by_role("status")).to_contain_text(
        "Your profile is ready. Now choose a programme to join."
    )
    axe.check("programme list")

    profile = User.objects.get(email=EMAIL).profile
    assert profile.complete and profile.wizard_done_at is not None
    assert (
        profile.pronouns,
        profile.role_band,
        profile.sector,
        profile.experience,
        profile.region,
        profile.meeting_format,
    ) == ("she/her", "professional", "health", 1, "north-west", "online")
    assert profile.show_organisation is True
    assert sorted(profile.availability) == ["thu-afternoon", "tue-morning"]
    assert set(profile.interests.values_list("name", flat=True)) == {
        "Systematic searching",
        "Outreach and events",
    }

    page.get_by_role("link", name="North West coffee").click()
    wait_for_path(page, base, f"/programmes/{programme.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("North West coffee")
    axe.check("programme detail")
    page.get_by_role("button", name="Join North West coffee").click()

    wait_for_path(page, base, "/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {NAME}")
    expect(page.get_by_role("status")).to_contain_text("You have joined North West coffee.")
    card = page.locator("article.card", has_text="North West coffee")
    expect(card.get_by_text("Active", exact=True)).to_be_visible()
    axe.check("dashboard after joining")

    # --- Pause -------------------------------------------------------------------------------
    card.get_by_role("link", name="Pause North West coffee").click()
    membership = Membership.objects.get(user__email=EMAIL, programme=programme)
    wait_for_path(page, base, f"/programmes/membership/{membership.pk}/pause/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pause North West coffee")
    axe.check("pause form")
    until = timezone.localdate() + dt.timedelta(days=30)
    date_field = page.get_by_label("Pause until")
    expect(date_field).to_have_attribute("type", "date")
    date_field.fill(until.isoformat())
    page.get_by_role("button", name="Pause", exact=True).click()

    wait_for_path(page, base, "/me/")
    when = f"{until.day} {until:%B %Y}"
    expect(page.get_by_role("status")).to_contain_text(f"Paused North West coffee until {when}.")
    expect(card.get_by_text(f"Paused until {when}", exact=True)).to_be_visible()
    expect(card.get_by_role("button", name="Resume now")).to_be_visible()
    axe.check("dashboard after pausing")

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PAUSED
    assert membership.paused_until == until

    axe.assert_every_page_scanned()
    verification = [
        m for m in smtp_sink.messages if m["To"] == EMAIL and "verification code" in plain_body(m)
    ]
    assert len(verification) == 1, "exactly one verification email, never resent"


def test_signup_errors_are_clear_and_keep_what_was_typed(
    page: Page, live_server: object, smtp_sink: SmtpSink
) -> None:
    axe = AxeAuditor(page)
    page.goto(f"{live_server.url}/accounts/signup/")
    axe.check("sign-up form")
    fill_signup(page, password2="a-different-password-99", privacy=False)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("sign up", re.I)).click()

    assert page.url == f"{live_server.url}/accounts/signup/"
    axe.check("sign-up form with errors")
    privacy = page.locator("#id_accept_privacy")
    password2 = page.locator("#id_password2")
    for field, text in [
        (privacy, "Please confirm you have read the privacy notice."),
        (password2, "You must type the same password each time."),
    ]:
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = field.get_attribute("aria-describedby") or ""
        error_ids = [i for i in described_by.split() if i.endswith("_error")]
        assert error_ids, f"{field} is not described by its error message"
        expect(page.locator(f"#{error_ids[0]}")).to_have_text(text)
        expect(page.get_by_text(text, exact=True)).to_be_visible()

    # What the member typed is still there (passwords are deliberately not re-sent).
    expect(page.get_by_label("Your name")).to_have_value(NAME)
    expect(page.locator("#id_email")).to_have_value(EMAIL)
    expect(page.locator("#id_accept_code_of_conduct")).to_be_checked()
    expect(privacy).not_to_be_checked()

    assert not User.objects.filter(email=EMAIL).exists()
    assert smtp_sink.wait_for(1, timeout=0.5) == []
    axe.assert_every_page_scanned()
