"""Walk 34: in their second cycle a member's dashboard had two cards both called
"Action learning sets, spring cohort: set 1", and both set pages had the same title and
opening line. Each now names its cycle ("set 1 (cycle from 2 August 2027)")."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _text(client, url: str) -> tuple[str, str]:
    page = client.get(url).content.decode()
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    return title, " ".join(html.unescape(strip_tags(page)).split())


def test_a_member_in_two_cycles_can_tell_their_sets_apart(client):
    programme = learning_set_programme(name="Action learning", group_size=4)
    members = join(programme, 4)
    now = timezone.now()
    first, (old,) = form_cycle(programme, now=now - dt.timedelta(weeks=60))
    second, (new,) = form_cycle(programme, now=now)
    member = next(u for u in members if u.pk in set(set_member_ids(new)))
    assert member.pk in set(set_member_ids(old)) and old.number == new.number == 1
    client.force_login(member)
    names = [
        f"Action learning: set 1 (cycle from {cycle.first_session_on:%-d %B %Y})"
        for cycle in (first, second)
    ]

    _title, dashboard = _text(client, reverse("members:dashboard"))
    pages = [_text(client, reverse("pairing:set_detail", args=[s.pk])) for s in (old, new)]

    assert names[0] != names[1]
    assert names[1] in dashboard
    for (title, body), cycle in zip(pages, (first, second), strict=True):
        words = f"set 1 (cycle from {cycle.first_session_on:%-d %B %Y})"
        assert title.startswith(f"Your learning set: Action learning, {words}")
        assert f"Action learning, {words}: " in body
