"""The evaluation form says each text limit before anything is sent, and its text boxes
carry the limit for the live count (js/character_count.js); nothing typed is cut off."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_page(member_client, programme, member, other_member) -> str:
    ran = timezone.now() - dt.timedelta(days=40)
    match = make_match(done_round(programme, finished_at=ran), member, other_member)
    return member_client.get(reverse("feedback:evaluate_own", args=[match.pk])).content.decode()


@pytest.mark.parametrize(
    ("field", "limit", "said"),
    [
        ("next_steps", 2000, "Up to 2,000 characters."),
        ("private_comment", 2000, "Up to 2,000 characters."),
        ("takeaway", 1000, "Up to 1,000 characters."),
        ("not_met_reason", 300, "Up to 300 characters."),
    ],
)
def test_each_text_box_says_its_limit_and_counts_down_to_it(form_page, field, limit, said):
    box = re.search(rf"<textarea [^>]*name=\"{field}\"[^>]*>", form_page).group(0)
    hint = re.search(rf'<div class="helptext" id="id_{field}_helptext">([^<]*)</div>', form_page)

    assert f'data-character-limit="{limit}"' in box
    assert f'aria-describedby="id_{field}_helptext"' in box
    assert hint.group(1).endswith(said)
    assert "maxlength" not in box  # a browser would cut pasted text off silently


def test_the_form_loads_the_character_count(form_page):
    assert re.search(r'<script src="[^"]*js/character_count\.js" defer></script>', form_page)


def test_a_one_line_field_says_its_limit_too(form_page):
    assert re.search(r'id="id_topics_other_helptext">Up to 200 characters.</div>', form_page)
