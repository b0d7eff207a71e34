"""Walk 24: the dashboard listed a learning set as "round 1" where the programme speaks
of cycles and sets; it now names the set ("Action learning, set 2: ...")."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def test_a_learning_set_is_listed_by_its_set_number(client):
    programme = learning_set_programme(name="Action learning")
    users = join(programme, 10)
    _cycle, sets = form_cycle(programme, now=timezone.now())
    learning_set = sets[-1]
    member = next(u for u in users if str(u.pk) in set(map(str, set_member_ids(learning_set))))
    client.force_login(member)

    page = html.unescape(client.get(reverse("members:dashboard")).content.decode())

    assert f"Action learning, set {learning_set.number}: " in page
    assert "Action learning, round" not in page
