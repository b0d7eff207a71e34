"""An organiser invites people in a real browser: pastes addresses, reads the per-row
report, sends; one invitee signs up from the emailed link (over real SMTP), confirms the
code and joins; another says "never invite me again"; the organiser sees both states (on
the invitation list and the organiser home) and writes an announcement. Every page is
scanned with axe-core, and the organiser's pages fit a 360 px screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from members.invitations.mailing import email_hash, invite_url
from members.invitations.models import Invitation
from pairing.models import Membership, OutboxEmail, OutboxKind
from tests.e2e.helpers import AxeAuditor, SmtpSink, extract_code, plain_body
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
NEW_PASSWORD = "marginalia-in-the-stacks-42"


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r".*/(me|admin)/.*"))


def _link(body: str, path: str) -> str:
    match = re.search(r"https?://\S+" + re.escape(path) + r"\S+/", body)
    assert match, f"no {path} link in:\n{body}"
    return match.group(0)


HINTS = """() => [...document.querySelectorAll('#content-main .table-scroll')].map(
    box => getComputedStyle(box, '::before').content)"""


def _fits_360(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    narrow = page.evaluate(HINTS)
    page.set_viewport_size({"width": 1280, "height": 900})
    wide = page.evaluate(HINTS)
    assert width <= 360, f"{page.url} is {width}px wide at 360px"
    # A table cut off inside its scroll box says so on a phone, and only there.
    assert all("Scroll sideways to see every column" in hint for hint in narrow), narrow
    assert all(hint in ("none", "normal") for hint in wide), wide


def test_organiser_invites_two_one_signs_up_and_joins_the_other_declines(
    page: Page, browser: Browser, live_server: object, smtp_sink: SmtpSink, tasks_in_process: None
) -> None:
    programme = ProgrammeFactory(name="North West coffee", description="Monthly coffee chats.")
    organiser = UserFactory(
        email="org@example.org", is_staff=True, profile__display_name="Olive Organiser"
    )
    programme.organisers.add(organiser)
    MembershipFactory(user=UserFactory(email="already@example.org"), programme=programme)
    base = live_server.url

    # --- The organiser pastes addresses and reads the report ---------------------------
    _log_in(page, base, "org@example.org")  # log-in pages are scanned in their own tests
    axe = AxeAuditor(page)
    page.goto(f"{base}/admin/")
    axe.check("admin index")
    page.get_by_role("link", name="Invitations and announcements").first.click()
    expect(page.get_by_role("table", name="Your programmes")).to_contain_text("North West coffee")
    axe.check("invitations: programmes")
    _fits_360(page)
    page.get_by_role("link", name=re.compile("invite people")).click()
    expect(page.get_by_role("heading", name="Invite people")).to_be_visible()
    axe.check("invitations: list, empty")
    page.get_by_label("Or paste addresses").fill(
        "Lovelace, Ada <ada@example.org>; grace@example.org\nalready@example.org\nnot-an-address"
    )
    page.get_by_role("button", name="Check the list").click()

    main = page.locator("#content-main")
    expect(main).to_contain_text("2 can be invited")
    expect(main).to_contain_text("Already a member of this programme.")
    expect(main).to_contain_text("Not an email address.")
    assert not OutboxEmail.objects.exists()  # nothing sent before the button
    axe.check("invitations: report")
    _fits_360(page)
    # Back to change the paste, and check it again: the paste box has the focus there...
    page.get_by_role("button", name="Back: change what I pasted").click()
    expect(page.get_by_label("Or paste addresses")).to_be_focused()
    axe.check("invitations: list, changing the paste")
    page.get_by_role("button", name="Check the list").click()
    expect(main).to_contain_text("2 can be invited")
    axe.check("invitations: report, checked again")
    page.get_by_role("button", name="Send 2 invitations").click()
    expect(page.locator("#content-main table")).to_contain_text("ada@example.org")
    # ...but not once the invitations are sent (walk 28: the URL kept #id_pasted, so the
    # emptied box took the focus on the page that says they were sent).
    assert "#" not in page.url
    expect(page.get_by_label("Or paste addresses")).not_to_be_focused()
    axe.check("invitations: list, sent")
    _fits_360(page)
    invitations_url = page.url
    page.goto(f"{base}/admin/")  # the organiser home
    expect(page.get_by_role("link", name="2 waiting for an answer")).to_be_visible()
    axe.check("organiser home, invitations pending")

    # --- Two emails over SMTP ---------------------------------------------------------
    messages = smtp_sink.wait_for(2)
    by_address = {m["To"]: m for m in messages}
    assert sorted(by_address) == ["ada@example.org", "grace@example.org"]
    assert by_address["ada@example.org"]["Subject"] == (
        "Olive Organiser invites you to join North West coffee"
    )
    assert "/invitations/never/" in by_address["grace@example.org"]["List-Unsubscribe"]

    # --- Ada signs up from the link, confirms the code, joins --------------------------
    ada = browser.new_context(bypass_csp=True).new_page()
    ada.set_default_timeout(10_000)
    ada_axe = AxeAuditor(ada)
    ada.goto(_link(plain_body(by_address["ada@example.org"]), "/invitations/"))
    expect(ada.get_by_role("heading", level=1)).to_have_text("Sign up to join North West coffee")
    expect(ada.locator("#id_email")).to_have_value("ada@example.org")
    expect(ada.locator("#id_display_name")).to_have_value("Ada Lovelace")
    ada_axe.check("sign up from an invitation")
    ada.locator("#id_password1").fill(NEW_PASSWORD)
    ada.locator("#id_password2").fill(NEW_PASSWORD)
    ada.locator("#id_accept_code_of_conduct").check()
    ada.locator("#id_accept_privacy").check()
    ada.get_by_role("button", name="Sign up").click()
    expect(ada.get_by_role("heading", level=1)).to_have_text("Enter the code we emailed you")
    ada_axe.check("enter the code")
    code_email = smtp_sink.wait_for(3)[-1]
    ada.get_by_label(re.compile("code", re.I)).fill(extract_code(plain_body(code_email)))
    ada.get_by_role("button", name="Confirm").click()
    ada.wait_for_url(re.compile(re.escape(f"{base}/programmes/{programme.slug}/")))
    assert not Membership.objects.filter(user__email="ada@example.org").exists()
    ada_axe.check("programme page after sign-up")
    ada.get_by_role("button", name="Join North West coffee").click()
    ada.wait_for_url(re.compile(r".*/me/.*"))
    ada_axe.check("dashboard after joining")
    assert Membership.objects.filter(user__email="ada@example.org").exists()

    # --- Grace: never invite me again -------------------------------------------------
    grace = browser.new_context(bypass_csp=True).new_page()
    grace.set_default_timeout(10_000)
    grace_axe = AxeAuditor(grace)
    grace.goto(_link(plain_body(by_address["grace@example.org"]), "/invitations/never/"))
    expect(grace.get_by_role("heading", level=1)).to_have_text("Never invite me again")
    grace_axe.check("never invite me again")
    grace.get_by_role("button", name="Never invite me again").click()
    expect(grace.get_by_role("heading", level=1)).to_have_text("We will not invite you again")
    grace_axe.check("never invite me again: done")

    # --- An expired link, as a stranger would meet it ---------------------------------
    late = Invitation.objects.create(
        programme=programme,
        email="late@example.org",
        email_hash=email_hash("late@example.org"),
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    grace.goto(invite_url(invitation_id=late.pk))
    expect(grace.get_by_role("heading", level=1)).to_have_text("This invitation has expired")
    grace_axe.check("expired invitation")

    # --- The organiser sees who joined and who declined -------------------------------
    page.goto(invitations_url)
    table = page.locator("#content-main table")
    expect(table.locator("tr", has_text="ada@example.org")).to_contain_text("Joined")
    expect(table.locator("tr", has_text="grace@example.org")).to_contain_text(
        "Asked not to be invited"
    )
    axe.check("invitations: list, answered")
    page.get_by_role("link", name="Invitations and announcements").first.click()
    expect(page.locator("#content-main table")).to_contain_text("0 pending")
    axe.check("invitations: programmes, answered")
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("link", name="none waiting")).to_be_visible()
    axe.check("organiser home, invitations answered")

    # --- An announcement to the two active members ------------------------------------
    page.get_by_role(
        "link", name="Write one, or read those sent to members of North West coffee"
    ).click()
    axe.check("announcements: none yet")
    page.get_by_role("link", name="Write an announcement").click()
    axe.check("announcement: write")
    page.get_by_label("Subject").fill("Summer social")
    page.get_by_label("Message").fill("We meet in Leeds on 3 July.\n\nBring a friend.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("region", name="Preview of the email")).to_contain_text("Leeds")
    axe.check("announcement: preview")
    _fits_360(page)
    page.get_by_role("button", name="Send to 2 members").click()
    expect(page.locator("#content-main table")).to_contain_text("Summer social")
    axe.check("announcements: sent")
    _fits_360(page)
    page.get_by_role("link", name="Summer social").click()
    expect(page.get_by_role("region", name="The email as members got it")).to_contain_text(
        "Bring a friend."
    )
    axe.check("announcement: sent, read")
    _fits_360(page)
    announced = [m for m in smtp_sink.wait_for(5) if "Summer social" in m["Subject"]]
    assert sorted(m["To"] for m in announced) == ["ada@example.org", "already@example.org"]
    assert OutboxEmail.objects.filter(kind=OutboxKind.ANNOUNCEMENT).count() == 2

    for auditor in (axe, ada_axe, grace_axe):
        auditor.assert_every_page_scanned()
