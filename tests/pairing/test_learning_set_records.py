"""Evidence by cycle under the small-number rules, the CPD record (page and CSV) with
session hours, and "download my data" with the member's own check-ins."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.set_evidence import set_evidence
from pairing.sets.models import Session, SessionCheckIn, SetEvaluation
from pairing.sets.selectors import set_member_ids
from tests.factories import UserFactory
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _held_cycle(members: int = 6):
    """A set whose first session was held yesterday."""
    programme = learning_set_programme(group_size=members if members <= 7 else 5)
    users = join(programme, members)
    _cycle, sets = form_cycle(programme, now=timezone.now())
    first = Session.objects.get(learning_set=sets[0], number=1)
    yesterday = timezone.now() - dt.timedelta(days=1)
    Session.objects.filter(pk=first.pk).update(
        starts_at=yesterday - dt.timedelta(hours=3), ends_at=yesterday
    )
    first.refresh_from_db()
    return programme, users, sets[0], first


def _check_in(session, user, attended=True, **extra):
    return SessionCheckIn.objects.create(
        session=session, user=user, attended=attended, usefulness=4 if attended else None, **extra
    )


def _figures(programme):
    (cycle,) = set_evidence(programme=programme)
    return cycle, {f.label: f.text for f in cycle.figures}


def test_evidence_shows_sessions_held_and_hides_small_counts():
    programme, users, _learning_set, first = _held_cycle(6)
    for user in users[:4]:
        _check_in(first, user)

    cycle, figures = _figures(programme)

    assert cycle.sessions_held == 1 and cycle.sets == 1
    assert figures["Members in the sets now"] == "6"
    assert figures["Session check-ins"] == "fewer than 5"
    assert figures["Check-ins saying they attended"] == "fewer than 5"
    # Not "fewer than 5" beside a 1-5 scale, which read as a score (walk 32).
    assert figures["Mean usefulness of sessions (1-5)"] == "not shown"
    # Before any set evaluation: not "0" (walk 32), in the pack and the organisers' page.
    assert figures["Would recommend a learning set"] == "no answers yet"
    exact = {f.label: f.text for f in set_evidence(programme=programme, exact=True)[0].figures}
    assert exact["Would recommend a learning set"] == "no answers yet"
    assert exact["Mean usefulness of the set (1-5)"] == "no answers yet"


def test_a_cycle_with_no_check_ins_says_so():
    programme, _users, _learning_set, _first = _held_cycle(6)

    _cycle, figures = _figures(programme)

    assert figures["Session check-ins"] == "0"
    assert figures["Check-ins saying they attended"] == "no check-ins yet"
    assert figures["Mean usefulness of sessions (1-5)"] == "no answers yet"


def test_attendance_beside_its_total_is_withheld_when_the_rest_is_small():
    programme, users, _set, first = _held_cycle(6)
    for user in users[:5]:
        _check_in(first, user)
    _check_in(first, users[5], attended=False)

    _cycle, figures = _figures(programme)

    assert figures["Session check-ins"] == "6"
    assert figures["Check-ins saying they attended"] == "not shown"  # 1 did not attend


def test_before_and_after_means_need_five_answers():
    programme, users, learning_set, _first = _held_cycle(5)
    for user in users:
        SetEvaluation.objects.create(
            learning_set=learning_set,
            user=user,
            usefulness=5,
            would_recommend="yes",
            confidence_before=2,
            confidence_after=4,
        )

    _cycle, figures = _figures(programme)

    assert figures["Confidence, mean before → now (1-5)"] == "2.0 → 4.0"
    # Nobody answered the isolation questions: "no answers yet", not "fewer than 5".
    assert figures["Professional isolation, mean before → now (1-5)"] == "no answers yet"
    assert figures["Would recommend a learning set"] == "5 (100%)"


def test_the_evidence_page_has_the_learning_set_section():
    programme, _users, _set, _first = _held_cycle(5)
    organiser = UserFactory(is_staff=True)
    programme.organisers.add(organiser)
    client = Client()
    client.force_login(organiser)

    page = client.get(reverse("feedback:programme_report", args=[programme.pk])).content.decode()
    pack = client.get(reverse("feedback:evidence_pack", args=[programme.pk])).content.decode()

    assert "Learning sets, by cycle" in page
    # The programme's own size, not "Sets of 4-7" (walk 33).
    size = programme.group_size
    note = (
        f"Sets of {size} members (a few of {size - 1} or {size + 1} when the numbers need it) "
        "meet several times over a cycle."
    )
    assert note in " ".join(page.split()) and note in " ".join(pack.split())


def test_cpd_record_and_csv_list_sessions_with_hours_and_my_reflection():
    _programme, users, _set, first = _held_cycle(5)
    _check_in(first, users[0], reflection="=I will try open questions.")
    client = Client()
    client.force_login(users[0])

    page = client.get(reverse("feedback:cpd")).content.decode()
    csv = b"".join(client.get(reverse("feedback:cpd_csv")).streaming_content).decode()

    assert "Learning set sessions" in page and "3.0 hours" in page
    assert "Learning set session," in csv and ",Attended,180," in csv  # minutes, one table
    assert "'=I will try open questions." in csv  # formula-safe
    # The set itself is "your learning set", not the round that formed it (walk 29).
    assert f"{_programme.name}, your learning set</h2>" in page
    assert f"{_programme.name}, round" not in page
    assert f"{_programme.name},Learning set," in csv


def test_my_data_has_my_check_ins_but_never_another_members():
    _programme, users, _set, first = _held_cycle(5)
    _check_in(first, users[0], reflection="My own words.")
    _check_in(first, users[1], reflection="Someone else's words.")
    client = Client()
    client.force_login(users[0])

    data = json.loads(client.get(reverse("members:data_export")).content)

    (mine,) = data["learning_set_check_ins"]
    assert mine["private_reflection"] == "My own words."
    assert "Someone else's words." not in json.dumps(data)


def test_a_reflection_is_never_shown_to_the_set():
    _programme, users, learning_set, first = _held_cycle(5)
    _check_in(first, users[0], reflection="Private thought.")
    client = Client()
    client.force_login(users[1])

    page = client.get(reverse("pairing:set_detail", args=[learning_set.pk])).content.decode()

    assert users[1].pk in set_member_ids(learning_set)
    assert "Private thought." not in page
