"""The evidence page, the printable evidence pack, a member's CPD record and the shared
takeaways in Chromium: axe finds no serious or critical WCAG problem, charts render, and
the pack prints without the site navigation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AxeAuditor, log_in_as
from tests.factories import InterestFactory, MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, evaluations, make_match, make_round, send_intro

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _community():
    programme = ProgrammeFactory(name="North West coffee")
    organiser = UserFactory(email="org@example.org", is_staff=True)
    programme.organisers.add(organiser)
    ada = UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")
    for _ in range(6):
        MembershipFactory(programme=programme)
    topic = InterestFactory(name="Systematic searching")
    for number in range(1, 9):
        pairing_round = make_round(programme, number)
        for _ in range(5):
            send_intro(
                make_match(
                    pairing_round, UserFactory(), UserFactory(), shared_interests=["Open access"]
                )
            )
        for e in evaluations(pairing_round, 6, usefulness=4 + number % 2, meet_again="yes"):
            e.topics.add(topic)
    mine = make_match(programme.rounds.get(number=8), ada, UserFactory())
    evaluate(
        mine,
        ada,
        usefulness=5,
        minutes=30,
        next_steps="Try proximity operators.",
        takeaway="Ask for the protocol first.",
        share_takeaway=True,
        private_comment="Lovely pairing.",
    )
    long_text = "Peer review of a search strategy found synonyms I had missed. " * 8
    for number in (6, 7):
        evaluate(
            make_match(programme.rounds.get(number=number)), takeaway=long_text, share_takeaway=True
        )
    return programme, organiser, ada


def test_evidence_pages_render_charts_and_pass_axe(page: Page, live_server, client) -> None:
    programme, organiser, ada = _community()
    base = live_server.url
    axe = AxeAuditor(page)

    log_in_as(page, base, client, organiser)
    page.goto(f"{base}/organise/programmes/{programme.pk}/evidence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence: North West coffee")
    expect(page.get_by_role("img", name="How useful members found it")).to_be_visible()
    axe.check("evidence report")

    page.goto(f"{base}/organise/programmes/{programme.pk}/evidence-pack/")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    axe.check("evidence pack")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1, "the pack prints on one A4 page"
    page.emulate_media(media="screen")

    client.force_login(ada)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page.goto(f"{base}/me/cpd/")
    expect(page.get_by_role("main")).to_contain_text("Try proximity operators.")
    axe.check("CPD record")
    page.goto(f"{base}/takeaways/")
    expect(page.get_by_role("main")).to_contain_text("Ask for the protocol first.")
    axe.check("shared takeaways")
    axe.assert_every_page_scanned()


def test_evidence_page_and_pack_fit_a_360px_screen_with_readable_chart_labels(
    page: Page, live_server, client
) -> None:
    programme, organiser, _ada = _community()
    log_in_as(page, live_server.url, client, organiser)
    page.set_viewport_size({"width": 360, "height": 800})
    axe = AxeAuditor(page)
    for path in ("evidence", "evidence-pack"):
        page.goto(f"{live_server.url}/organise/programmes/{programme.pk}/{path}/")
        sizes = page.evaluate("""() => {
            const d = document.documentElement;
            const texts = [...document.querySelectorAll('svg.chart text')];
            const px = texts.map(t => parseFloat(getComputedStyle(t).fontSize)
                                      * t.ownerSVGElement.getScreenCTM().a);
            return {scroll: d.scrollWidth, client: d.clientWidth, texts: px.length,
                    smallest: Math.min(...px)};
        }""")
        assert sizes["scroll"] <= sizes["client"], f"{path} scrolls sideways at 360 px: {sizes}"
        assert sizes["texts"] > 0 and sizes["smallest"] >= 12, f"{path}: {sizes}"
        axe.check(f"{path} at 360 px")
    expect(page.get_by_role("heading", name="How small groups are protected")).to_be_visible()
    axe.assert_every_page_scanned()
