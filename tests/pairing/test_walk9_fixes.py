"""Walk 9: a learning-set match page sends its members to the set's check-ins, not the coffee
feedback form; the round's matches CSV gives a learning set its first session, never a
made-up meeting time; every introduction links to its match page."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.exports import csv_safe
from members.models import User
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.outbox import build_message
from pairing.sets.models import SessionStatus
from pairing.sets.selectors import set_member_ids
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Bug 1: the learning-set match page ----------------------------------------------------


def test_a_learning_set_match_page_points_to_the_sets_check_ins_not_the_coffee_form():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    member = User.objects.get(pk=set_member_ids(learning_set)[0])
    set_url = reverse("pairing:set_detail", args=[learning_set.pk])

    page = _client(member).get(reverse("pairing:match_detail", args=[learning_set.match_id]))
    body = page.content.decode()

    assert page.status_code == 200
    assert "Tell us how it went" not in body
    assert reverse("feedback:evaluate_own", args=[learning_set.match_id]) not in body
    assert f'href="{set_url}#sessions-heading">Check in on your set\'s sessions</a>' in body


def test_a_coffee_match_page_still_asks_how_it_went(member, other_member):
    match = make_match(make_round(ProgrammeFactory(), 1), member, other_member)

    body = _client(member).get(reverse("pairing:match_detail", args=[match.pk])).content.decode()

    assert "Tell us how it went" in body
    assert reverse("feedback:evaluate_own", args=[match.pk]) in body


# --- Bug 2: the matches CSV of a learning-set round --------------------------------------


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_a_learning_set_rounds_matches_csv_gives_the_sets_first_session(organiser_client):
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, sets = form_cycle(programme)
    first, second = sets
    second.sessions.filter(number=1).update(status=SessionStatus.CANCELLED)
    url = reverse("organise:matches_csv", args=[first.match.pairing_round_id])

    header, *rows = _csv(organiser_client.get(url))

    column = header.index("First session start (Europe/London time)")
    assert "Suggested start" not in header
    starts = [row[column] for row in rows]
    assert starts == [
        csv_safe(first.sessions.get(number=1).starts_at),
        # A cancelled first session was never held: the set starts with its second.
        csv_safe(second.sessions.get(number=2).starts_at),
    ]
    told = {csv_safe(s.starts_at) for ls in sets for s in ls.sessions.all()}
    assert set(starts) <= told
    made_up = {csv_safe(ls.match.suggested_start) for ls in sets} - {""}
    assert not made_up & set(starts)


# --- Bug 4: every introduction links to its match page ----------------------------------


def test_a_mentoring_introduction_links_to_its_match_page():
    programme = ProgrammeFactory(kind="mentoring", name="Mentors North")
    mentor = UserFactory(profile__display_name="Priya Shah")
    mentee = UserFactory(profile__display_name="Tom Berry")
    match = make_match(make_round(programme, 1), mentor, mentee)
    MatchMember.objects.filter(user=mentor).update(role="offer")
    MatchMember.objects.filter(user=mentee).update(role="seek")
    outbox = OutboxEmail.objects.create(
        key=f"intro:{match.pk}",
        kind=OutboxKind.INTRO,
        pairing_round=match.pairing_round,
        match=match,
    )

    message = build_message(outbox)

    url = "http://127.0.0.1:8000" + reverse("pairing:match_detail", args=[match.pk])
    assert "Your match page (who you are meeting, and a private way to report a concern" in (
        message.body
    )
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0].content
