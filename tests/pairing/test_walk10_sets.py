"""Fixes from the tenth browser walk of learning sets: a merge never makes a set bigger
than a set can have, a cycle must start after its sets can be formed, the feedback page
gives the cycle's first session, the old date-keeper is told when a facilitator is
named, the ground rules are in sight on the programme form, and the cycles' programme
filter lists learning-set programmes only."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Profile, User
from pairing.models import OutboxEmail, OutboxKind, Programme
from pairing.outbox import build_message
from pairing.sets import services
from pairing.sets.forms import CycleForm
from pairing.sets.models import Cycle, LearningSet, SessionStatus
from pairing.sets.selectors import set_host_id, set_member_ids
from pairing.sets.swap_rules import SetError
from tests.factories import ProgrammeFactory
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme, rows
from tests.pairing.test_learning_set_merge_rules import merge_on_the_page, shrink
from tests.pairing.test_learning_set_pages import _cycle_form, client_for

pytestmark = pytest.mark.django_db

TOO_BIG = (
    "Set 1 would have 8 members, more than the 7 a set can have: merge into a smaller set, "
    "or let set 2 continue smaller."
)


def _state(*sets: LearningSet) -> tuple:
    fresh = [LearningSet.objects.get(pk=s.pk) for s in sets]
    return (
        [set_member_ids(s) for s in fresh],
        [s.merged_into_id for s in fresh],
        [list(s.sessions.values_list("status", "sequence")) for s in fresh],
    )


def _sets_of_five_and_three():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (into, mine) = form_cycle(programme, now=timezone.now())
    shrink(mine, 3)  # 5 + 3 = 8, more than 7
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    return mine, into, organiser


def test_a_merge_bigger_than_a_set_can_have_is_refused_and_nothing_changes():
    mine, into, organiser = _sets_of_five_and_three()
    before = _state(mine, into)

    with pytest.raises(SetError) as refused:
        services.set_merge(learning_set=mine, into=into, by=organiser, now=timezone.now())

    assert TOO_BIG in str(refused.value)
    assert _state(mine, into) == before


def test_the_organisers_page_refuses_a_too_big_merge_before_asking_and_on_a_direct_post():
    mine, into, organiser = _sets_of_five_and_three()
    before = _state(mine, into)

    for text in merge_on_the_page(organiser, mine, into):
        assert TOO_BIG in text
        assert "goes from 5 to 8 members" not in text
        assert 'name="confirmed" value="yes"' not in text
        assert f"Set {mine.number} merged into" not in text
    assert _state(mine, into) == before
    assert not into.sessions.filter(status=SessionStatus.CANCELLED).exists()


def _running_cycle():
    """A programme whose sets meet until their last session, with its next round a week
    after it (as forming sets it)."""
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (first_set, _other) = form_cycle(programme, now=timezone.now())
    programme.refresh_from_db()
    last = max(timezone.localdate(s.starts_at) for s in first_set.sessions.all())
    return programme, last


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_a_cycle_starting_before_its_sets_can_be_formed_is_refused_saying_the_earliest(
    organiser_client,
):
    programme, last = _running_cycle()
    forming = programme.next_round_on
    assert forming > last  # a week after the last session
    fields = {"venue": "Room 1", "facilitation": "rotating"}
    earliest = forming + dt.timedelta(days=1)

    refused = organiser_client.post(
        "/admin/pairing/cycle/add/",
        _cycle_form(programme, first_session_on=forming.isoformat(), **fields),
    )
    during = CycleForm(data=_cycle_form(programme, first_session_on=last.isoformat(), **fields))
    fine = CycleForm(data=_cycle_form(programme, first_session_on=earliest.isoformat(), **fields))

    text = html.unescape(refused.content.decode())
    assert (
        f"The sets of this cycle can be formed on {_day(forming)} at the earliest (the "
        f"programme's next round date), so the first session week must start after it: "
        f"choose {earliest:%A} {_day(earliest)} or later." in text
    )
    # Not "the week of Monday ...", a day before the earliest (walk 29): the first session
    # week starts on the date chosen.
    assert "the week of Monday" not in text
    assert Cycle.objects.filter(forming_round__isnull=True).count() == 0
    assert "can be formed on" in during.errors["first_session_on"][0]
    assert fine.is_valid(), fine.errors


def test_without_a_next_round_date_the_first_session_comes_after_the_current_sets_meet():
    programme, last = _running_cycle()
    Programme.objects.filter(pk=programme.pk).update(next_round_on=None)
    programme.refresh_from_db()
    fields = {"venue": "Room 1", "facilitation": "rotating"}
    on_the_day = (last + dt.timedelta(days=1)).isoformat()

    refused = CycleForm(data=_cycle_form(programme, first_session_on=on_the_day, **fields))
    past = CycleForm(data=_cycle_form(programme, first_session_on="2020-01-06", **fields))

    assert refused.errors["first_session_on"] == [
        f"The sets of this cycle can be formed on {_day(last + dt.timedelta(days=1))} at the "
        f"earliest (the current sets meet until {_day(last)}), so the first session week must "
        f"start after it: choose {last + dt.timedelta(days=2):%A} "
        f"{_day(last + dt.timedelta(days=2))} or later."
    ]
    assert past.errors["first_session_on"] == ["The first session cannot be in the past."]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def test_the_set_feedback_page_names_the_cycle_by_its_first_session_not_the_forming_day():
    programme = learning_set_programme(name="Spring sets")
    join(programme, 10)
    now = timezone.now()
    cycle, (mine, _other) = form_cycle(
        programme, now=now, first_session_on=now.date() + dt.timedelta(weeks=5)
    )
    member = User.objects.get(pk=set_member_ids(mine)[0])

    response = client_for(member).get(reverse("feedback:evaluate_own", args=[mine.match_id]))

    text = response.content.decode()
    assert f"Spring sets, cycle from {_day(cycle.first_session_on)}" in text
    assert f"cycle from {_day(now.date())}" not in text


def _notice_text(outbox) -> str:
    message = build_message(outbox)
    return html.unescape(message.subject + "\n" + message.body + "\n" + message.alternatives[0][0])


def test_naming_a_facilitator_tells_the_member_who_looked_after_the_dates_they_no_longer_do():
    programme = learning_set_programme()
    join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme, now=timezone.now(), facilitation="member")
    organiser = User.objects.create_superuser("org@example.org", "pw-org-1234567")
    grainne = User.objects.get(pk=set_host_id(learning_set))
    quentin = next(User.objects.get(pk=m) for m in set_member_ids(learning_set) if m != grainne.pk)
    Profile.objects.filter(user=grainne).update(display_name="Gráinne Ní Mháille")
    Profile.objects.filter(user=quentin).update(display_name="Quentin Blake")
    before = set(OutboxEmail.objects.values_list("pk", flat=True))
    url = reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id])

    client_for(organiser).post(
        url, {"action": "facilitator", "set": learning_set.pk, "member": quentin.pk}
    )

    told = {
        n.user_id: _notice_text(n)
        for n in rows(OutboxKind.SET_NOTICE)
        if n.pk not in before and ":facilitator_named:" in n.key
    }
    dates = "You no longer look after the dates: Quentin Blake does now, as the set's facilitator."
    assert "Quentin Blake facilitates set" in told[grainne.pk]
    assert told[grainne.pk].count(dates) == 2  # the plain text and the HTML
    assert all(dates not in text for user_id, text in told.items() if user_id != grainne.pk)
    learning_set.refresh_from_db()
    assert set_host_id(learning_set) == quentin.pk


def test_the_programme_add_form_shows_the_ground_rules_open_saying_who_they_are_for(
    organiser_client,
):
    body = organiser_client.get("/admin/pairing/programme/add/").content.decode()

    fieldset = body[: body.index('name="ground_rules"')].rsplit("<fieldset", 1)[1]
    assert "Learning sets" in fieldset
    assert "<details" not in fieldset and "collapse" not in fieldset  # open, not folded away
    assert "For action learning set programmes only: their ground rules are required" in (
        html.unescape(fieldset)
    )


def test_the_cycles_programme_filter_lists_learning_set_programmes_only(organiser_client):
    spring = learning_set_programme(name="Spring sets")
    autumn = learning_set_programme(name="Autumn sets")
    coffee = ProgrammeFactory(kind="coffee", name="Coffee roulette")
    mentoring = ProgrammeFactory(kind="mentoring", name="Mentors")

    body = organiser_client.get("/admin/pairing/cycle/").content.decode()

    assert "By programme" in body
    for programme in (spring, autumn):
        assert f"programme__id__exact={programme.pk}" in body
    for programme in (coffee, mentoring):
        assert f"programme__id__exact={programme.pk}" not in body
        assert programme.name not in body
