"""Fixes from a browser walk-through of learning sets: move forms pre-filled, merged
members' check-ins and records, moves kept in order, cycles refused in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.set_evidence import set_evidence
from members.models import User
from pairing.models import OutboxKind
from pairing.outbox import build_message
from pairing.sets import schedule, selectors, services
from pairing.sets.forms import CycleForm
from pairing.sets.models import Presenter, Session, SessionCheckIn
from pairing.sets.page import set_page
from pairing.sets.reports import member_set_data, session_cpd_rows
from pairing.sets.selectors import dashboard_sessions, set_member_ids
from tests.factories import UserFactory
from tests.pairing.set_helpers import NOW, form_cycle, join, learning_set_programme, rows
from tests.pairing.test_learning_set_merge_rules import shrink
from tests.pairing.test_learning_set_pages import _cycle_form, client_for, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_move_forms_prefill_the_date_in_iso(world):  # noqa: F811
    session = world.mine.sessions.get(number=2)
    local = timezone.localtime(session.starts_at, dt.UTC).date().isoformat()

    member_page = client_for(world.host).get(reverse("pairing:session_move", args=[session.pk]))
    admin_page = client_for(world.organiser).get(
        reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    )

    assert f'value="{local}"' in member_page.content.decode()
    assert f'name="s{session.pk}-day" value="{local}"' in admin_page.content.decode()


def _merged_after_first_sessions():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (mine, theirs) = form_cycle(programme)
    firsts = [s.sessions.get(number=1) for s in (mine, theirs)]
    later = max(s.ends_at for s in firsts) + dt.timedelta(hours=1)
    mover = User.objects.get(pk=set_member_ids(mine)[0])
    services.checkin_submit(
        session=firsts[0], user=mover, data={"attended": True, "usefulness": 4}, now=later
    )
    organiser = UserFactory(is_superuser=True, is_staff=True)
    shrink(mine, 2)  # a merge stays within the 7 a set can have
    services.set_merge(learning_set=mine, into=theirs, by=organiser, now=later)
    return mine, theirs, mover, later


def test_a_member_merged_in_is_not_part_of_the_other_sets_earlier_sessions():
    mine, theirs, mover, later = _merged_after_first_sessions()
    before = theirs.sessions.get(number=1)
    after = theirs.sessions.get(number=2)
    SessionCheckIn.objects.create(session=before, user=mover, attended=True)  # as before the fix
    page = set_page(learning_set=theirs, user=mover, now=later)
    (row,) = dashboard_sessions(user=mover, now=later)
    schedule.session_checkins_send_due(now=later)

    with pytest.raises(services.SetError, match="not in this set for that session"):
        services.checkin_submit(
            session=before, user=mover, data={"attended": True, "usefulness": 3}, now=later
        )
    assert row["checkin"] is None
    assert not next(r for r in page["rows"] if r["session"] == before)["checkin_due"]
    assert not rows(OutboxKind.SESSION_CHECKIN, key__endswith=f":{mover.pk}")
    assert [(r.set_number, r.session_number) for r in session_cpd_rows(user=mover)] == [
        (mine.number, 1)
    ]
    assert selectors.checkin_due(user=mover, session=after, now=after.starts_at)
    assert len(member_set_data(user=mover)["learning_set_check_ins"]) == 2  # still their data


def test_the_evidence_keeps_a_merged_sets_held_sessions_and_check_ins():
    mine, theirs, _mover, later = _merged_after_first_sessions()
    for user_id in set_member_ids(theirs)[1:5]:
        SessionCheckIn.objects.create(
            session=mine.sessions.get(number=1), user_id=user_id, attended=True, usefulness=5
        )

    (cycle,) = set_evidence(programme=mine.cycle.programme, now=later)

    assert cycle.sessions_held == 2 and cycle.sets == 1
    assert dict((f.label, f.value) for f in cycle.figures)["Session check-ins"] == 5


def test_a_cycle_starting_in_the_past_or_a_second_waiting_cycle_is_refused_in_words():
    programme = learning_set_programme()
    fields = {"venue": "Room 1", "facilitation": "rotating"}
    past = CycleForm(data=_cycle_form(programme, first_session_on="2020-01-06", **fields))
    first = CycleForm(data=_cycle_form(programme, **fields))
    assert first.is_valid(), first.errors
    first.save()
    second = CycleForm(data=_cycle_form(programme, first_session_on="2027-06-07", **fields))
    again = CycleForm(data=_cycle_form(programme, **fields), instance=first.instance)

    assert past.errors["first_session_on"] == ["The first session cannot be in the past."]
    assert "already has a cycle waiting" in second.errors["programme"][0]
    assert again.is_valid(), again.errors


def test_a_move_keeps_the_session_between_its_neighbours_and_the_next_is_by_date():
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (mine, _theirs) = form_cycle(programme)
    first, second, third = (mine.sessions.get(number=n) for n in (1, 2, 3))
    organiser = UserFactory(is_superuser=True, is_staff=True)
    member = User.objects.get(pk=set_member_ids(mine)[0])
    hour = dt.timedelta(hours=1)

    with pytest.raises(services.SetError, match="must come after session 1"):
        services.session_move(session=second, by=organiser, starts_at=first.starts_at, now=NOW)
    with pytest.raises(services.SetError, match="must come before session 3"):
        services.session_move(session=second, by=organiser, starts_at=third.starts_at, now=NOW)
    with pytest.raises(services.SetError, match="in the future"):
        services.session_move(session=second, by=organiser, starts_at=NOW - hour, now=NOW)
    # The day after session 1 (its afternoon is the other set's, in the same room).
    day = dt.timedelta(days=1)
    services.session_move(session=second, by=organiser, starts_at=first.starts_at + day, now=NOW)
    # An order left over from before the check: dates decide, not numbers.
    Session.objects.filter(pk=first.pk).update(
        starts_at=third.starts_at + hour, ends_at=third.ends_at + hour
    )
    (row,) = [r for r in dashboard_sessions(user=member, now=NOW) if r["set"] == mine]
    page = set_page(learning_set=mine, user=member, now=NOW)

    assert row["next"].number == 2
    assert [r["session"].number for r in page["rows"]][:3] == [2, 3, 1]


def test_merge_and_cancel_in_the_admin_ask_first_saying_what_will_happen(world):  # noqa: F811
    url = reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    client = client_for(world.organiser)
    session = world.mine.sessions.get(number=2)
    merge = {"action": "merge", "set": world.mine.pk, "into": world.theirs.pk}
    cancel = {"action": "cancel", "set": world.mine.pk, "session": session.pk}
    shrink(world.theirs, 2)  # 5 + 2: within the 7 a set can have

    asked_merge = client.post(url, merge).content.decode()
    asked_cancel = client.post(url, cancel).content.decode()
    world.mine.refresh_from_db()
    session.refresh_from_db()
    assert world.mine.merged_into_id is None and not session.cancelled
    assert "move into set 2, which goes from 2 to 7 members" in asked_merge
    assert "Set 2 meets next on" in asked_merge and "each moving member gets one" in asked_merge
    assert 'name="confirmed" value="yes"' in asked_merge
    assert "a cancellation to each of the set&#x27;s 5 members" in asked_cancel

    client.post(url, {**cancel, "confirmed": "yes"})
    client.post(url, {**merge, "confirmed": "yes"})
    world.mine.refresh_from_db()
    session.refresh_from_db()
    assert session.cancelled and world.mine.merged_into_id == world.theirs.pk


def test_the_set_page_names_presenters_in_a_list_and_offers_no_calendar_for_held_sessions(
    world,  # noqa: F811
):
    first = world.mine.sessions.get(number=1)
    second = world.mine.sessions.get(number=2)
    others = [m for m in set_member_ids(world.mine) if m != world.member.pk][:2]
    Presenter.objects.filter(session=second).delete()
    for user_id in [*others, world.member.pk]:
        Presenter.objects.create(session=second, user_id=user_id)
    Session.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(hours=20),
    )
    a, b = (User.objects.get(pk=u).profile.display_name for u in others)

    body = (
        client_for(world.member)
        .get(reverse("pairing:set_detail", args=[world.mine.pk]))
        .content.decode()
    )

    assert f"Presenting: {a}, {b} and you" in body
    assert reverse("pairing:session_ics", args=[first.pk]) not in body
    assert reverse("pairing:session_ics", args=[second.pk]) in body


def test_a_sets_match_page_points_to_the_dated_sessions_in_plural_words(world):  # noqa: F811
    client = client_for(world.host)
    url = reverse("pairing:match_detail", args=[world.mine.match_id])

    body = client.get(url).content.decode()
    sent = client.post(
        reverse("pairing:match_concern", args=[world.mine.match_id]), {"text": "x"}, follow=True
    ).content.decode()

    assert "propose a time to meet" not in body and "Your partner is not told" not in body
    assert "each already dated" in body
    assert reverse("pairing:set_detail", args=[world.mine.pk]) in body
    assert "The other members of your set are not told." in body
    assert "The other members of your set have not been told." in sent
    # The set, not the forming round (walk 33: "Round 1, 7 December 2026").
    number = world.mine.number
    assert f'<p class="lead">Set {number}, formed on ' in body
    assert f"<title>Your introduction: {world.mine.cycle.programme.name}, set {number}" in body
    concern = client.get(reverse("pairing:match_concern", args=[world.mine.match_id]))
    assert f", set {number} (" in concern.content.decode()


def test_a_swap_proposal_is_emailed_and_on_the_dashboard_and_acceptance_told(world):  # noqa: F811
    now = timezone.now()
    page = set_page(learning_set=world.mine, user=world.member, now=now)
    my_session = Session.objects.get(pk=page["my_turns"][0][0])
    partner_id, their_session_id = map(int, page["their_turns"][0][0].split("-"))
    partner = User.objects.get(pk=partner_id)

    swap = services.swap_propose(
        learning_set=world.mine,
        proposer=world.member,
        my_session=my_session,
        partner=partner,
        their_session=Session.objects.get(pk=their_session_id),
        now=now,
    )
    (asked,) = rows(OutboxKind.SET_NOTICE, user=partner)
    asked_mail = build_message(asked)
    dashboard = client_for(partner).get(reverse("members:dashboard")).content.decode()
    services.swap_decide(swap=swap, by=partner, accept=True, now=now)
    (told,) = rows(OutboxKind.SET_NOTICE, user=world.member)
    told_mail = build_message(told)

    assert asked_mail.to == [partner.email] and "asks to swap turns" in asked_mail.subject
    assert f"instead of session {swap.partner_session.number}" in asked_mail.body
    assert "1 request to swap turns" in dashboard
    assert told_mail.to == [world.member.email] and "accepted your swap" in told_mail.body
    assert f"present at session {swap.partner_session.number}" in told_mail.body
