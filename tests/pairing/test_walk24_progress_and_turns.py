"""Walk 24: the round delivery page's progress bar spans the text column (it was the
browser's default 10em, about 140 px, so 15 of 15 delivered looked unfinished), and a
member's set page says "You presented" beside a session held, "Your turn" only beside one
to come."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.sets.models import Presenter
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round, send_intro
from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _linked_sheets(page: str) -> list[str]:
    hrefs = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', page)
    paths = [href.removeprefix(settings.STATIC_URL).split("?")[0] for href in hrefs]
    return [finders.find(path) for path in paths if finders.find(path)]


def _rule(css: str, selector: str) -> str:
    found = re.search(rf"(?:^|}})\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", css, re.M)
    return found.group(1) if found else ""


def test_the_delivery_bar_spans_the_text_column(organiser_client):
    pairing_round = make_round(ProgrammeFactory(), 1)
    for _ in range(3):
        send_intro(make_match(pairing_round, UserFactory(), UserFactory()))

    page = organiser_client.get(
        reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    ).content.decode()

    assert re.search(r'<progress class="delivery-progress" max="3" value="3"', page)
    rules = [_rule(Path(sheet).read_text(), ".delivery-progress") for sheet in _linked_sheets(page)]
    rule = " ".join(rules)
    assert re.search(r"(?<![-\w])width:\s*100%", rule), rules
    assert re.search(r"max-width:\s*40rem", rule), rules
    assert "display: block" in rule


def _article(page: str, number: int) -> str:
    start = page.index(f'id="session-{number}"')
    return page[start : page.index("</article>", start)]


def test_a_session_held_says_you_presented_and_one_to_come_your_turn(client):
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    first = learning_set.sessions.get(number=1)
    presenter = User.objects.get(pk=Presenter.objects.filter(session=first).first().user_id)
    later = (
        Presenter.objects.filter(user=presenter, session__learning_set=learning_set)
        .exclude(session=first)
        .values_list("session__number", flat=True)
    )
    # Make sure the same member also presents at a session to come.
    upcoming = learning_set.sessions.get(number=later[0] if later else 2)
    Presenter.objects.get_or_create(session=upcoming, user=presenter)
    hold_sessions(learning_set, 1)
    client.force_login(presenter)

    page = client.get(reverse("pairing:set_detail", args=[learning_set.pk])).content.decode()

    held, to_come = _article(page, 1), _article(page, upcoming.number)
    assert "Held" in held
    assert "You presented" in held
    assert "Your turn" not in held
    assert "Your turn" in to_come
    assert "You presented" not in to_come
