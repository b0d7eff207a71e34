"""Two members of a search-review pair share their strategies (one pasted, one uploaded),
review each other's with PRESS (a draft first), and each reads the review of their own
strategy on the match page; emails arrive over real SMTP; axe on every page; the match
page fits a 360 px screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import AxeAuditor, SmtpSink, plain_body
from tests.factories import MembershipFactory, UserFactory
from tests.feedback.strategy_helpers import STRATEGY, review_match, review_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
GRACE_STRATEGY = 'S1 (MH "Falls, Accidental")\nS2 TI (fall* N3 prevent*)\nS3 S1 OR S2'
PRESS = (
    "Translation of the research question",
    "Boolean and proximity operators",
    "Subject headings",
    "Text-word searching",
    "Spelling, syntax and line numbers",
    "Limits and filters",
)


def _log_in(page: Page, axe: AxeAuditor, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    axe.check("log in")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r".*/me/.*"))


def _open_match(page: Page, axe: AxeAuditor, base: str, match_id: int) -> None:
    page.goto(f"{base}/programmes/matches/{match_id}/")
    axe.check("match page")


def _review(page: Page, axe: AxeAuditor, author: str, verdict: str, comment: str) -> None:
    page.get_by_role("link", name=f"Review {author}\u2019s strategy").click()
    axe.check("review page")
    # A draft first: one verdict and a note, saved, kept.
    page.get_by_role("group", name=PRESS[0]).get_by_label("No revisions").check()
    page.get_by_label("Overall note").fill("Draft so far")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("main")).to_contain_text("Your draft is saved")
    axe.check("review page, draft saved")
    expect(page.get_by_label("Overall note")).to_have_value("Draft so far")
    # Sending with verdicts missing keeps what was typed and says what is missing.
    page.get_by_role("button", name=f"Send my review to {author}").click()
    expect(page.locator("#error-summary")).to_contain_text("Choose a verdict for")
    axe.check("review page, incomplete")
    for heading in PRESS[1:]:
        page.get_by_role("group", name=heading).get_by_label(verdict).check()
    page.get_by_label("Comments on limits and filters (optional)").fill(comment)
    page.get_by_label("Overall note").fill("Clear and well structured.")
    page.get_by_role("button", name=f"Send my review to {author}").click()
    expect(page.get_by_role("main")).to_contain_text(f"Your review has been sent to {author}")
    axe.check("match page, review sent")


def test_two_members_share_review_and_read_their_reviews(
    page: Page,
    browser: Browser,
    live_server: object,
    smtp_sink: SmtpSink,
    tasks_in_process: None,
    tmp_path,
) -> None:
    programme = review_programme()
    ada = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    grace = UserFactory(email="grace@example.org", profile__display_name="Grace Hopper")
    for user in (ada, grace):
        user.set_password(PASSWORD)
        user.save()
        MembershipFactory(user=user, programme=programme)
    match = review_match(programme, ada, grace)
    base = live_server.url

    # --- Ada pastes her strategy ------------------------------------------------------------
    ada_axe = AxeAuditor(page)
    _log_in(page, ada_axe, base, "ada@example.org")
    ada_axe.check("dashboard")
    _open_match(page, ada_axe, base, match.pk)
    # (The round ran on 2 November 2026: the date has passed, and no later round has run.)
    expect(page.get_by_role("main")).to_contain_text(
        "It was due by 7 November 2026: you can still share it."
    )
    page.get_by_role("link", name="Share your strategy").click()
    ada_axe.check("share page")
    page.get_by_label("Your search strategy").fill(STRATEGY)
    page.get_by_label("Research question (optional)").fill("Does exercise help fatigue?")
    page.get_by_label("MEDLINE via Ovid").check()
    page.get_by_role("button", name="Share my strategy").click()
    expect(page.get_by_role("main")).to_contain_text("You shared version 1")
    ada_axe.check("match page, shared")

    (shared_mail,) = smtp_sink.wait_for(1)
    assert shared_mail["To"] == "grace@example.org"
    assert "Ada Lovelace has shared their search strategy" in shared_mail["Subject"]
    assert f"/programmes/matches/{match.pk}/" in plain_body(shared_mail)

    # --- Grace uploads hers, then reviews Ada's -------------------------------------------
    grace_page = browser.new_context(bypass_csp=True).new_page()
    grace_page.set_default_timeout(10_000)
    grace_axe = AxeAuditor(grace_page)
    _log_in(grace_page, grace_axe, base, "grace@example.org")
    grace_axe.check("dashboard")
    _open_match(grace_page, grace_axe, base, match.pk)
    strategy = grace_page.locator(".strategy-lines").first
    expect(strategy).to_contain_text("2. (cancer* or tumour* or tumor*).ti,ab.")
    # Its own search line numbers are kept as pasted, and reviewers are told to cite them.
    expect(strategy.locator("tbody tr").nth(7)).to_have_text("8. limit 7 to english language")
    expect(grace_page.get_by_role("main")).to_contain_text("Line numbers are the strategy's own")
    font = strategy.locator("code").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" in font.lower() or "consolas" in font.lower()

    grace_page.get_by_role("link", name="Share your strategy").click()
    grace_axe.check("share page")
    upload = tmp_path / "falls strategy.txt"
    upload.write_text(GRACE_STRATEGY)
    grace_page.get_by_label("Upload it as a file (optional)").set_input_files(str(upload))
    grace_page.get_by_label("CINAHL").check()
    grace_page.get_by_role("button", name="Share my strategy").click()
    expect(grace_page.get_by_role("main")).to_contain_text("You shared version 1")
    grace_axe.check("match page, shared")

    _review(grace_page, grace_axe, "Ada Lovelace", "Revision suggested", "Line 8: drop it.")

    # --- Ada reads Grace's review, downloads Grace's file and reviews it -------------------
    _open_match(page, ada_axe, base, match.pk)
    received = page.locator("#my-strategy")
    expect(received).to_contain_text("Review by Grace Hopper")
    expect(received).to_contain_text("Revision suggested")
    expect(received).to_contain_text("Line 8: drop it.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download falls_strategy.txt").click()
    assert download.value.suggested_filename == "falls_strategy.txt"
    _review(page, ada_axe, "Grace Hopper", "No revisions", "Limits are fine.")

    # --- Grace reads Ada's review of her strategy -----------------------------------------
    _open_match(grace_page, grace_axe, base, match.pk)
    expect(grace_page.locator("#my-strategy")).to_contain_text("Review by Ada Lovelace")
    expect(grace_page.locator("#my-strategy")).to_contain_text("Limits are fine.")

    # Both reviews were emailed to their authors, once each.
    messages = smtp_sink.wait_for(4)
    reviews = sorted(
        m["To"] for m in messages if "has reviewed your search strategy" in m["Subject"]
    )
    assert reviews == ["ada@example.org", "grace@example.org"]

    # --- A 360 px screen: the page never scrolls sideways ---------------------------------
    grace_page.set_viewport_size({"width": 360, "height": 800})
    grace_page.reload()
    grace_axe.check("match page at 360 px")
    width = grace_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360

    ada_axe.assert_every_page_scanned()
    grace_axe.assert_every_page_scanned()
