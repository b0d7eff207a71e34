"""What a search-strategy review leaves behind: the CPD records and "download my data"
of both members, and the figures on the programme's evidence page (small counts
hidden), and the introduction that asks for a strategy."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.strategies.evidence import strategy_evidence
from feedback.strategies.services import review_save, strategy_review_only, strategy_share
from pairing.models import OutboxEmail
from pairing.outbox import build_message
from tests.factories import UserFactory
from tests.feedback.strategy_helpers import REVISED, STRATEGY, review_match, review_programme

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 5, 10, 0))
LIMITS_REQUIRED = {
    "limits": {"verdict": "required", "comment": "Line 8: no language limit, please."},
    "translation": {"verdict": "none", "comment": ""},
}


@pytest.fixture
def reviewed(member, other_member):
    """Ada shares; Grace reviews (limits: revision required); Ada revises."""
    match = review_match(review_programme(), member, other_member)
    version = strategy_share(match=match, author=member, context={}, text=STRATEGY)
    review_save(
        strategy=version.strategy,
        reviewer=other_member,
        elements=LIMITS_REQUIRED,
        overall="Solid work.",
        submit=True,
        now=NOW,
    )
    strategy_share(match=match, author=member, context={}, text=REVISED)
    return match


def test_both_cpd_records_list_the_review(
    reviewed, member, other_member, member_client, other_client
):
    mine = member_client.get(reverse("feedback:cpd")).content.decode()
    theirs = other_client.get(reverse("feedback:cpd")).content.decode()

    # One line each, with the day; the other person by role and sector only, as the
    # record's partners are (two reviewers are two lines).
    reviewer = other_member.profile.get_sector_display()
    author = member.profile.get_sector_display()
    mine_lines = re.findall(r"<li>(My search strategy[^<]*)</li>", mine)
    theirs_lines = re.findall(r"<li>(Reviewed a partner[^<]*)</li>", theirs)
    assert len(mine_lines) == 1 and len(theirs_lines) == 1
    assert mine_lines[0].startswith(
        "My search strategy (version 1) was peer reviewed with PRESS 2015 by a partner ("
    )
    assert f"{reviewer}; 5 November 2026)" in mine_lines[0]
    assert theirs_lines[0].startswith("Reviewed a partner&#x27;s search strategy (version 1; ")
    assert f"{author}) with PRESS 2015 (5 November 2026)" in theirs_lines[0]
    for name in (member.profile.display_name, other_member.profile.display_name):
        assert name not in mine_lines[0] + theirs_lines[0]


def test_the_cpd_csv_has_a_peer_review_column(reviewed, other_client):
    response = other_client.get(reverse("feedback:cpd_csv"))
    text = b"".join(response.streaming_content if response.streaming else [response.content])

    assert "Search-strategy peer review" in text.decode("utf-8-sig")
    assert "Reviewed a partner's search strategy (version 1; " in text.decode("utf-8-sig")
    assert ") with PRESS 2015 (5 November 2026)" in text.decode("utf-8-sig")


def test_download_my_data_holds_strategies_and_reviews(reviewed, member_client, other_client):
    mine = json.loads(member_client.get(reverse("members:data_export")).content)
    theirs = json.loads(other_client.get(reverse("members:data_export")).content)

    shared = mine["search_strategies_shared"]
    assert [v["number"] for v in shared[0]["versions"]] == [1, 2]
    assert shared[0]["versions"][1]["text"] == REVISED
    received = shared[0]["reviews_received"][0]
    assert received["reviewer"] == "Grace Hopper"
    assert {
        "element": "Limits and filters",
        "verdict": "Revision required",
        "comment": "Line 8: no language limit, please.",
    } in received["elements"]
    written = theirs["search_strategy_reviews_written"]
    assert written[0]["overall"] == "Solid work."
    # Grace's data holds her review, not Ada's strategy.
    assert theirs["search_strategies_shared"] == []
    assert STRATEGY not in json.dumps(theirs)


def test_evidence_hides_small_counts(reviewed):
    figures = strategy_evidence(programme=reviewed.pairing_round.programme)

    assert figures["shared"] is None  # 1 strategy: fewer than 5
    assert figures["reviews"] is None
    assert figures["revised"] is None
    assert all(cell.value is None for cell in figures["elements"])


def test_evidence_counts_at_the_size_of_a_cohort():
    programme = review_programme()
    people = [UserFactory() for _ in range(14)]
    for i in range(0, 14, 2):
        author, reviewer = people[i], people[i + 1]
        match = review_match(programme, author, reviewer, number=1 + i // 2)
        version = strategy_share(match=match, author=author, context={}, text=STRATEGY)
        review_save(
            strategy=version.strategy,
            reviewer=reviewer,
            elements=LIMITS_REQUIRED,
            overall="",
            submit=True,
            now=timezone.now(),
        )
        if i < 12:  # six of seven authors revise
            strategy_share(match=match, author=author, context={}, text=REVISED)
        strategy_review_only(match=match, author=reviewer)

    figures = strategy_evidence(programme=programme)

    assert figures["shared"] == 7
    assert figures["reviews"] == 7
    assert figures["review_only"] == 7
    assert figures["elements"][0].label == "Limits and filters"
    assert (figures["elements"][0].value, figures["elements"][0].percent) == (7, 100)
    # 6 of 7 revised: showing 6 would give away the 1 who did not.
    assert figures["revised"] is None
    assert figures["revised_hidden"] == "not shown"


def test_the_evidence_page_shows_the_section_for_search_review_only(
    reviewed, organiser_client, programme
):
    report = reverse("feedback:programme_report", args=[reviewed.pairing_round.programme.pk])
    coffee = reverse("feedback:programme_report", args=[programme.pk])

    assert "Search-strategy peer review" in organiser_client.get(report).content.decode()
    assert "Search-strategy peer review" not in organiser_client.get(coffee).content.decode()


def test_the_intro_asks_each_member_to_share_by_the_date(member, other_member):
    match = review_match(review_programme(), member, other_member)
    intro = OutboxEmail.objects.create(
        key=f"intro:{match.pk}", kind="intro", pairing_round=match.pairing_round, match=match
    )

    message = build_message(intro)

    assert "SHARE YOUR SEARCH STRATEGY BY 7 NOVEMBER" in message.body
    assert reverse("pairing:match_detail", args=[match.pk]) in message.body
    assert "Share your search strategy by 7 November" in message.alternatives[0][0]
    assert "introduced to peer review one another's" in message.body
    assert "Then review your partner's with the PRESS 2015 checklist" in message.body


def test_a_trio_is_not_told_it_was_paired(member, other_member):
    match = review_match(review_programme(), member, other_member, UserFactory())
    intro = OutboxEmail.objects.create(
        key=f"intro:{match.pk}", kind="intro", pairing_round=match.pairing_round, match=match
    )

    message = build_message(intro)

    assert "paired" not in message.body and "partner" not in message.body
    assert "Then review the others' with the PRESS 2015 checklist" in message.body
    html = message.alternatives[0][0]
    assert "Then review the others\u2019 with the PRESS 2015 checklist" in html


def test_an_element_count_that_gives_away_the_rest_is_hidden():
    programme = review_programme()
    people = [UserFactory() for _ in range(14)]
    for i in range(0, 14, 2):
        match = review_match(programme, people[i], people[i + 1], number=1 + i // 2)
        version = strategy_share(match=match, author=people[i], context={}, text=STRATEGY)
        elements = LIMITS_REQUIRED if i < 12 else {"limits": {"verdict": "none", "comment": ""}}
        review_save(
            strategy=version.strategy,
            reviewer=people[i + 1],
            elements=elements,
            overall="",
            submit=True,
            now=timezone.now(),
        )

    limits = next(
        c
        for c in strategy_evidence(programme=programme)["elements"]
        if c.value or c.label == "Limits and filters"
    )

    # 6 of 7 reviews asked to revise the limits: 7 - 6 = 1 would be given away, and so
    # would "about 90%" (of 7, only 6 rounds to it).
    assert limits.label == "Limits and filters"
    assert limits.value is None
    assert limits.text == "not shown"
    assert limits.percent is None
    # The organiser team's own page shows it exactly.
    exact = strategy_evidence(programme=programme, exact=True)["elements"]
    limits = next(c for c in exact if c.label == "Limits and filters")
    assert (limits.text, limits.percent_text) == ("6", "86%")


def test_percentages_round_half_up():
    from feedback.reports import percent

    assert percent(10, 16) == 63
    assert percent(5, 10) == 50


def test_the_pack_prints_the_rounding_note_only_under_a_rounded_figure(organiser):
    programme = review_programme()
    programme.organisers.add(organiser)
    people = [UserFactory() for _ in range(28)]
    for i in range(0, 28, 2):
        match = review_match(programme, people[i], people[i + 1], number=1 + i // 2)
        version = strategy_share(match=match, author=people[i], context={}, text=STRATEGY)
        elements = LIMITS_REQUIRED if i < 24 else {"limits": {"verdict": "none", "comment": ""}}
        review_save(
            strategy=version.strategy,
            reviewer=people[i + 1],
            elements=elements,
            overall="",
            submit=True,
            now=timezone.now(),
        )
    # 12 of 14 reviews asked to revise the limits: "about 90%†", in the PRESS table of
    # the full page, which the one-page pack leaves out.
    limits = next(c for c in strategy_evidence(programme=programme)["elements"] if c.value is None)
    assert limits.percent_text == "about 90%†"
    client = Client()
    client.force_login(organiser)

    pack = client.get(reverse("feedback:evidence_pack", args=[programme.pk])).content.decode()

    figures = pack.split('id="rules-heading"')[0]  # the rules explain † in any case
    assert "†" not in figures
    assert "Rounded to the nearest 10 %" not in pack
