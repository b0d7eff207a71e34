"""A national network's round preview shows its groups a page at a time: a labelled
page nav (the current page marked), the warnings, totals and run controls on every page,
edit forms that offer the page's members and everyone unplaced (not thousands), and the
same number of queries however many groups the round has. A round of a page or less
looks as it always did."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.views import preview_page
from tests.pairing.set_helpers import join

pytestmark = pytest.mark.django_db


def _previewed(client, programme, members: int) -> tuple[object, str]:
    """The organiser's preview of a round of `members` (one of them, in person and alone
    in their region, left out)."""
    join(programme, members)
    join(programme, 1, meeting_format="in_person", region="london")
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])
    assert client.get(url).status_code == 200
    pairing_round.refresh_from_db()
    return pairing_round, url


def _rows(body: str) -> list[str]:
    table = body.split('id="preview-groups"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row">(\d+)', table)


def _options(body: str, select: str) -> set[str]:
    part = body.split(f'id="{select}"')[1].split("</select>")[0]
    return set(re.findall(r'<option value="(\d+)"', part))


def test_a_round_of_many_groups_shows_one_page_of_them_with_a_page_nav(
    organiser_client, programme, monkeypatch
):
    monkeypatch.setattr(preview_page, "PER_PAGE", 4)
    _pairing_round, url = _previewed(organiser_client, programme, 20)  # 10 groups

    first = organiser_client.get(url).content.decode()
    second = organiser_client.get(url + "?page=2").content.decode()
    last = organiser_client.get(url + "?page=3&confirm=1").content.decode()

    assert _rows(first) == ["1", "2", "3", "4"]
    assert _rows(second) == ["5", "6", "7", "8"]
    assert _rows(last) == ["9", "10"]
    nav = second.split('<nav class="preview-pages" aria-label="Pages of groups">')[1]
    nav = nav.split("</nav>")[0]
    assert re.search(r'href="[^"]*\?page=2#groups" aria-current="page"', nav)
    assert 'href="/' in nav and "?page=1" not in nav  # page 1 is the plain address
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    assert nav.count('aria-current="page"') == 1
    assert "Groups 5 to 8 of 10" in second
    for body in (first, second):
        # The totals, warnings and the way to run stay on every page.
        assert "<strong>10</strong> groups" in body
        assert "1 member cannot be placed this round" in body
    # The way to run keeps the page the organiser was on (walk 25).
    assert 'href="?confirm=1"' in first and 'href="?confirm=1&amp;page=2"' in second
    assert 'id="confirm-run"' in last and "?confirm=1&amp;page=2#groups" in last
    # Headings stay in order: the page's h1, then its sections.
    assert re.findall(r"<h(\d)", second.split('id="content-main"')[1]) == ["2", "2", "2"]


def test_the_edit_forms_offer_the_pages_members_and_everyone_unplaced(
    organiser_client, programme, monkeypatch
):
    monkeypatch.setattr(preview_page, "PER_PAGE", 4)
    pairing_round, url = _previewed(organiser_client, programme, 20)
    groups = pairing_round.draft["groups"]
    (left_out,) = pairing_round.draft["unplaced"]

    body = organiser_client.get(url + "?page=2").content.decode()

    grouped = {m for g in groups[4:8] for m in g["members"]}
    assert _options(body, "move-member") == grouped | {left_out["id"]}
    # A swap trades two grouped members: someone left out is moved, not swapped (walk 25).
    for select in ("swap-member", "swap-other"):
        assert _options(body, select) == grouped
    # Any group can be the target of a move, by its number.
    assert re.search(
        r'<input type="number" id="move-group" name="group_number" min="1" '
        r'max="10"',
        body,
    )
    assert '<label for="move-group">To group number</label>' in body


def test_a_move_to_a_group_on_another_page_by_its_number_returns_to_the_page(
    organiser_client, programme, monkeypatch
):
    monkeypatch.setattr(preview_page, "PER_PAGE", 4)
    pairing_round, url = _previewed(organiser_client, programme, 20)
    member = pairing_round.draft["groups"][5]["members"][0]

    response = organiser_client.post(
        url, {"action": "move", "member": member, "group_number": "10", "page": "2"}
    )

    assert response.url == url + "?page=2"
    pairing_round.refresh_from_db()
    assert member in pairing_round.draft["groups"][-1]["members"]
    locked = organiser_client.post(url, {"action": "lock", "group": "8", "page": "3"})
    assert locked.url == url + "?page=3"


def test_a_round_of_a_page_or_less_shows_no_page_nav_and_offers_everyone(
    organiser_client, programme
):
    pairing_round, url = _previewed(organiser_client, programme, 6)

    body = organiser_client.get(url).content.decode()

    assert "Pages of groups" not in body and "preview_pages.css" not in body
    everyone = {m for g in pairing_round.draft["groups"] for m in g["members"]}
    everyone |= {u["id"] for u in pairing_round.draft["unplaced"]}
    assert _options(body, "move-member") == everyone
    assert _options(body, "move-group") == {"0", "1", "2"}
    assert 'name="page"' not in body
    response = organiser_client.post(url, {"action": "lock", "group": "0"})
    assert response.url == url


def _get_queries(client, url: str) -> tuple[int, int]:
    client.get(url)  # the first look checks the draft; the count is of a later one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured.captured_queries), len(response.content)


def test_the_preview_makes_as_many_queries_at_twice_the_groups_and_stays_small(
    organiser_client, programme, monkeypatch
):
    monkeypatch.setattr(preview_page, "PER_PAGE", 4)
    _round, small_url = _previewed(organiser_client, programme, 16)
    other = type(programme).objects.create(name="Second coffee", slug="second-coffee")
    _round, large_url = _previewed(organiser_client, other, 32)

    small_queries, small_size = _get_queries(organiser_client, small_url)
    large_queries, large_size = _get_queries(organiser_client, large_url)

    assert large_queries == small_queries
    assert large_queries <= 20
    # Four groups shown either way: the page does not grow with the round.
    assert large_size < small_size * 1.1
