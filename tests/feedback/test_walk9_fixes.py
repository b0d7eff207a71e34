"""Walk 9: a learning-set match's feedback URL points to the set's check-ins instead of the
coffee form; the evaluations CSV says which search-strategy reviews each member sent; a
mentoring feedback page says who the partner is to the member."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.links import make_feedback_token
from feedback.models import Evaluation
from members.models import User
from pairing.models import MatchMember
from pairing.sets.selectors import set_member_ids
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Bug 1: a learning set has no "did you meet?" form -----------------------------------


@pytest.fixture
def set_seat() -> MatchMember:
    programme = learning_set_programme(name="Action learning North")
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    user = User.objects.get(pk=set_member_ids(learning_set)[0])
    return MatchMember.objects.get(match=learning_set.match, user=user)


def test_a_learning_set_matchs_feedback_url_points_to_the_sets_check_ins(set_seat):
    client = _client(set_seat.user)
    url = reverse("feedback:evaluate_own", args=[set_seat.match_id])
    set_url = reverse("pairing:set_detail", args=[set_seat.match.learning_set.pk])

    page = client.get(url).content.decode()
    posted = client.post(url, {"met": "not_yet"})

    assert "Did you meet" not in page and "ask again in a week" not in page
    assert "You can change your answers until" not in page
    assert "<h1>Your learning set checks in after each session</h1>" in page
    assert f'href="{set_url}#sessions-heading"' in page
    assert posted.status_code == 200 and "Did you meet" not in posted.content.decode()
    assert not Evaluation.objects.exists()


def test_a_learning_set_feedback_link_from_an_email_shows_the_same_page(set_seat):
    token = make_feedback_token(set_seat)

    page = Client().get(reverse("feedback:evaluate", args=[token])).content.decode()

    assert "Did you meet" not in page
    assert "Your learning set checks in after each session" in page
    assert "Log in to check in on your set" in page
