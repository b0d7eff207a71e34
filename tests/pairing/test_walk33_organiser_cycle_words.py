"""Walk 33: a learning set's organiser pages said "Next round", "Last round" and
"Round 1" where everything a member reads speaks of cycles. They now say "cycle"
(each of its rounds forms one cycle's sets); a coffee programme still says "round"."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from pairing import rounds
from pairing.models import Round
from tests.factories import MembershipFactory, UserFactory
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _text(client, url: str, start: str = 'id="content"') -> str:
    """The page's title and its content from `start`, as a reader sees them (no markup)."""
    page = client.get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    main = page[page.index(start) :].split("</section>")[0]
    return " ".join(html.unescape(strip_tags(title + " " + main)).split())


def _round_words(text: str) -> list[str]:
    """Each "round" a reader sees, with the words around it (none expected)."""
    return re.findall(r"\S* ?\S* ?\bround[s]?\b ?\S*", text, re.I)


def test_learning_set_organiser_pages_speak_of_cycles(organiser_client):
    programme = learning_set_programme(name="Action learning")
    join(programme, 10)
    form_cycle(programme, now=timezone.now())
    done = Round.objects.get(programme=programme)

    next_page = _text(
        organiser_client, reverse("admin:pairing_programme_next_round", args=[programme.pk])
    )
    home = _text(organiser_client, reverse("admin:index"), 'class="organiser-home"')
    progress = _text(organiser_client, reverse("admin:pairing_round_progress", args=[done.pk]))

    assert "Next cycle: Action learning" in next_page
    assert "Who is eligible this cycle" in next_page
    assert "Next cycle's sets form on" in next_page
    assert f"Recent cycles Cycle {done.number} (" in next_page
    assert _round_words(next_page) == []
    assert "Next cycle" in home and "Last cycle Cycle 1," in home
    assert "none left out last cycle" in home  # not "0 left out" (walk 34)
    assert "Cycle 1 sets (CSV)" in home
    assert [w for w in _round_words(home) if "status" not in w] == []
    assert progress.startswith("Action learning: Cycle 1 |")
    assert "Download this cycle's sets (CSV)" in progress
    assert "Sets Each set's sessions, rota and check-ins are on the cycle's page of sets." in (
        progress
    )
    assert "Matches" not in progress and "match" not in progress.lower()
    assert _round_words(progress) == []


def test_learning_set_preview_speaks_of_cycles(organiser_client):
    programme = learning_set_programme(name="Action learning")
    join(programme, 10)
    today = timezone.localdate()
    planned = rounds.round_plan(programme=programme, scheduled_for=today)

    url = reverse("admin:pairing_round_preview", args=[planned.pk])
    preview = _text(organiser_client, url)
    confirm = _text(organiser_client, url + "?confirm=1")

    assert "Cycle 1, scheduled for" in preview
    assert "Run this cycle…" in preview
    assert _round_words(preview) == []
    assert confirm.startswith("Run Action learning: Cycle 1? |")
    assert "Yes, run the cycle and send the introductions" in confirm
    assert "This saves 2 sets and emails each set an introduction and every session's " in confirm
    assert "match" not in confirm.lower()
    assert _round_words(confirm) == []


def test_a_coffee_programme_still_speaks_of_rounds(organiser_client, programme):
    for _ in range(4):
        MembershipFactory(user=UserFactory(), programme=programme)

    next_page = _text(
        organiser_client, reverse("admin:pairing_programme_next_round", args=[programme.pk])
    )

    assert "Next round: North West coffee" in next_page
    assert "Next round date:" in next_page and "Preview the next round" in next_page
    assert "cycle" not in next_page.lower()
    planned = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())
    url = reverse("admin:pairing_round_preview", args=[planned.pk])
    preview = _text(organiser_client, url)
    assert preview.startswith("Preview: North West coffee: Round 1 |")
    assert "Round 1, scheduled for" in preview and "Run this round…" in preview


def test_a_cycles_page_of_sets_leads_back_to_its_cycle_and_programme(organiser_client):
    programme = learning_set_programme(name="Action learning")
    join(programme, 10)
    cycle, _sets = form_cycle(programme, now=timezone.now())

    page = organiser_client.get(reverse("admin:pairing_cycle_sets", args=[cycle.pk]))
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', page.content.decode(), re.S)

    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs.group(1))
    assert links[1:] == [
        (
            reverse("admin:pairing_programme_next_round", args=[programme.pk]),
            "Action learning: next cycle",
        ),
        (reverse("admin:pairing_round_progress", args=[cycle.forming_round_id]), "Cycle 1"),
    ]
    assert '<li aria-current="page">Sets</li>' in crumbs.group(1)


def test_a_learning_set_previews_warnings_and_reasons_speak_of_cycles(organiser_client):
    """Walk 35: "cannot be placed this round" in the preview's warning and reason column,
    where the member is told "this cycle"."""
    programme = learning_set_programme(name="Action learning", group_size=4)
    join(programme, 8, meeting_format="in_person", region="north-west")
    join(programme, 1, meeting_format="in_person", region="scotland")
    planned = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())

    preview = _text(organiser_client, reverse("admin:pairing_round_preview", args=[planned.pk]))

    assert "1 member cannot be placed this cycle and will be told why" in preview
    assert "in Scotland this cycle" in preview
    assert _round_words(preview) == []


def test_running_a_cycle_says_how_many_sets_it_formed(organiser_client):
    """Walk 36: "Action learning round 1 has run: 3 matches." after running a cycle."""
    programme = learning_set_programme(name="Action learning")
    join(programme, 10)
    planned = rounds.round_plan(programme=programme, scheduled_for=timezone.localdate())
    url = reverse("admin:pairing_round_preview", args=[planned.pk])
    organiser_client.get(url)  # the preview forms the draft

    response = organiser_client.post(url, {"action": "run"}, follow=True)

    text = " ".join(html.unescape(strip_tags(response.content.decode())).split())
    assert "Action learning: Cycle 1 has run: 2 sets." in text
