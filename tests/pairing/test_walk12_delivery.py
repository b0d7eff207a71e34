"""Walk 12: a round's delivery page counts the emails the outbox chose not to send
(unsubscribed, bouncing) apart from failures; a member's dashboard no longer lists a
learning set they left as a current introduction, nor those who left it as co-members."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Profile, User
from pairing.models import OutboxEmail, OutboxKind, OutboxStatus
from pairing.outbox.consent import NOT_SENT
from pairing.sets import services
from pairing.sets.selectors import set_member_ids
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round, send_intro
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme
from tests.pairing.test_learning_set_merge_rules import shrink
from tests.pairing.test_learning_set_pages import client_for

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    body = re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode()))
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", body))


@pytest.fixture
def delivered_round():
    """A round of four introductions: three sent, one not sent because the member had
    unsubscribed from introductions."""
    programme = ProgrammeFactory(name="Coffee")
    pairing_round = make_round(programme, 1)
    matches = [make_match(pairing_round, UserFactory(), UserFactory()) for _ in range(4)]
    for match in matches:
        send_intro(match)
    OutboxEmail.objects.filter(kind=OutboxKind.INTRO, match=matches[3]).update(
        status=OutboxStatus.FAILED,
        last_error=f"{NOT_SENT}the member unsubscribed from introductions",
    )
    return pairing_round, matches


def _progress(client, pairing_round) -> str:
    url = reverse("admin:pairing_round_progress", args=[pairing_round.pk])
    return _text(client.get(url))


def test_an_email_not_sent_on_purpose_is_counted_apart_never_as_failed(
    organiser_client, delivered_round
):
    pairing_round, _ = delivered_round

    text = _progress(organiser_client, pairing_round)

    assert (
        "Introductions and notices delivered: 3 of 4, 1 not sent (unsubscribed or bouncing)."
        in text
    )
    assert "failed" not in text.lower()
    # The match's own row says why, not "Failed".
    assert "Not sent: the member unsubscribed from introductions" in text
    assert "every introduction and notice has been handled" in text


def test_a_real_failure_is_still_counted_as_failed_next_to_those_not_sent(
    organiser_client, delivered_round
):
    pairing_round, matches = delivered_round
    OutboxEmail.objects.filter(kind=OutboxKind.INTRO, match=matches[0]).update(
        status=OutboxStatus.FAILED, last_error="535 bad password"
    )

    text = _progress(organiser_client, pairing_round)

    assert "delivered: 2 of 4, 1 failed, 1 not sent (unsubscribed or bouncing)." in text
    assert "Failed (535 bad password)" in text


def _set_of_five():
    programme = learning_set_programme(name="Learning sets")
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now())
    ids = set_member_ids(learning_set)
    for n, pk in enumerate(ids):
        Profile.objects.filter(user_id=pk).update(display_name=f"Member {n}")
    users = User.objects.select_related("profile").in_bulk(ids)
    return learning_set, [users[pk] for pk in ids]


def _sections(user) -> tuple[str, str]:
    text = _text(client_for(user).get(reverse("members:dashboard")))
    mine = text.split("My introductions", 1)[1]
    current = mine.split("Past introductions")[0] if "Current introductions" in mine else ""
    past = mine.split("Past introductions", 1)[1] if "Past introductions" in mine else ""
    return current, past


def test_a_set_the_member_left_is_past_not_current_and_leavers_are_not_listed(client):
    learning_set, members = _set_of_five()
    now = timezone.now()
    services.set_leave(learning_set=learning_set, user=members[1], now=now)
    services.set_leave(learning_set=learning_set, user=members[2], now=now)

    leaver_current, leaver_past = _sections(members[1])
    stayer_current, _ = _sections(members[0])

    assert "Learning sets, set " not in leaver_current
    assert "Learning sets, set " in leaver_past
    assert "Learning sets, set 1: Member 3 and Member 4" in stayer_current
    assert "Member 1" not in stayer_current and "Member 2" not in stayer_current


def test_after_a_merge_the_mover_has_one_current_set_and_an_earlier_leaver_none():
    programme = learning_set_programme(name="Learning sets")
    join(programme, 10)
    _cycle, (into, mine) = form_cycle(programme, now=timezone.now())
    shrink(mine, 2)
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    left_before = User.objects.get(pk=mine.leavers.values_list("user_id", flat=True)[0])
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    mover_current, _ = _sections(mover)
    left_current, left_past = _sections(left_before)

    assert mover_current.count("Learning sets, set ") == 1
    assert "Learning sets, set " not in left_current
    assert "Learning sets, set " in left_past
