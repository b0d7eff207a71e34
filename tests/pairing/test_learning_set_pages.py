"""Every learning-set page: who may open it (a member of the set, a member of another
set, an organiser, nobody logged in) and what bad input does (a message, never a 500,
nothing typed lost)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.sets.models import Cycle, LearningSet, Presenter, RotaSwap, Session, SessionCheckIn
from pairing.sets.selectors import set_host_id, set_member_ids
from tests.factories import UserFactory
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


@dataclass
class World:
    mine: LearningSet
    theirs: LearningSet
    host: User
    member: User  # in `mine`, not its host
    outsider: User  # in `theirs`
    organiser: User


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world() -> World:
    now = timezone.now()
    programme = learning_set_programme()
    join(programme, 10)
    _cycle, (mine, theirs) = form_cycle(programme, now=now)
    organiser = UserFactory(is_staff=True)
    programme.organisers.add(organiser)
    host = User.objects.get(pk=set_host_id(mine))
    member = User.objects.get(pk=next(m for m in set_member_ids(mine) if m != host.pk))
    outsider = User.objects.get(pk=set_member_ids(theirs)[0])
    return World(mine, theirs, host, member, outsider, organiser)


def _first_session(world: World) -> Session:
    return world.mine.sessions.get(number=1)


def _pages(world: World) -> list[tuple[str, str]]:
    session = _first_session(world)
    return [
        ("get", reverse("pairing:set_detail", args=[world.mine.pk])),
        ("get", reverse("pairing:set_leave", args=[world.mine.pk])),
        ("get", reverse("pairing:set_evaluate", args=[world.mine.pk])),
        ("get", reverse("pairing:session_ics", args=[session.pk])),
        ("get", reverse("pairing:session_checkin", args=[session.pk])),
        ("post", reverse("pairing:set_swap", args=[world.mine.pk])),
    ]


@pytest.mark.parametrize("who", ["outsider", "organiser"])
def test_another_members_set_and_sessions_are_404(world, who):
    client = client_for(getattr(world, who))

    for method, url in _pages(world):
        assert getattr(client, method)(url).status_code == 404, url


def test_a_member_of_the_set_opens_every_page(world):
    client = client_for(world.member)

    for method, url in _pages(world):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_log_in(world):
    client = client_for(None)

    for method, url in _pages(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_only_the_host_may_move_or_cancel_a_session(world):
    session = _first_session(world)
    urls = [
        reverse("pairing:session_move", args=[session.pk]),
        reverse("pairing:session_cancel", args=[session.pk]),
    ]

    for url in urls:
        assert client_for(world.member).get(url).status_code == 404
        assert client_for(world.outsider).get(url).status_code == 404
        assert client_for(world.host).get(url).status_code == 200


def test_set_page_shows_members_rules_sessions_and_rota_but_no_emails(world):
    body = client_for(world.member).get(reverse("pairing:set_detail", args=[world.mine.pk]))
    text = body.content.decode()

    assert "What is said in the set stays in the set." in text
    assert "Session 6" in text and "Rota" in text
    others = [u for u in User.objects.filter(pk__in=set_member_ids(world.mine))]
    for user in others:
        assert user.email not in text
        if user != world.member:
            assert user.profile.display_name in text
    assert world.outsider.profile.display_name not in text
    # On the set page itself it points below, not to "the set page".
    assert "each session below says who facilitates it" in text
    assert "the set page says" not in text


def test_the_ics_download_is_a_calendar_with_the_sessions_uid(world):
    session = _first_session(world)

    response = client_for(world.member).get(reverse("pairing:session_ics", args=[session.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    assert session.uid in response.content.decode()


def test_moving_with_bad_input_says_why_and_keeps_what_was_typed(world):
    session = _first_session(world)
    url = reverse("pairing:session_move", args=[session.pk])
    client = client_for(world.host)

    empty = client.post(url, {"day": "", "time": ""})
    wrong = client.post(url, {"day": "31/02/2027", "time": "25:99"})
    past = client.post(url, {"day": "2001-01-01", "time": "10:00"})

    assert "Choose the new date." in empty.content.decode()
    assert "Enter a real date." in wrong.content.decode()
    assert 'value="31/02/2027"' in wrong.content.decode()
    assert "Choose a date and time in the future." in past.content.decode()
    assert all(r.status_code == 200 for r in (empty, wrong, past))
    session.refresh_from_db()
    assert session.sequence == 0


def test_a_swap_with_tampered_or_missing_choices_is_refused(world):
    url = reverse("pairing:set_swap", args=[world.mine.pk])
    client = client_for(world.member)

    for data in ({}, {"mine": "abc", "theirs": "x-y"}, {"mine": "999999", "theirs": "1-1"}):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert not RotaSwap.objects.exists()


def test_a_swap_is_proposed_and_accepted_through_the_pages(world):
    future = list(world.mine.sessions.order_by("number"))
    mine = next(s for s in future if s.presenters.filter(user=world.member).exists())
    theirs = next(s for s in future if not s.presenters.filter(user=world.member).exists())
    partner = theirs.presenters.first().user

    client_for(world.member).post(
        reverse("pairing:set_swap", args=[world.mine.pk]),
        {"mine": mine.pk, "theirs": f"{partner.pk}-{theirs.pk}"},
    )
    swap = RotaSwap.objects.get()
    client_for(world.outsider).post(
        reverse("pairing:swap_decide", args=[swap.pk]), {"decision": "accept"}
    )
    assert RotaSwap.objects.get().status == "proposed"  # another set's member: a 404
    client_for(partner).post(reverse("pairing:swap_decide", args=[swap.pk]), {"decision": "accept"})

    assert Presenter.objects.filter(session=mine, user=partner).exists()
    assert Presenter.objects.filter(session=theirs, user=world.member).exists()


def test_check_in_before_the_session_is_refused_and_after_it_saved_once(world):
    session = _first_session(world)
    url = reverse("pairing:session_checkin", args=[session.pk])
    client = client_for(world.member)
    data = {"attended": "yes", "usefulness": "4", "minutes": "200", "reflection": "Mine."}

    early = client.post(url, data)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=4),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    done = client.post(url, data)
    again = client.post(url, {**data, "reflection": "Twice."})

    assert "once the session has" in early.content.decode()
    assert done.status_code == 302
    assert again.status_code == 200 and "already checked in" in again.content.decode()
    assert SessionCheckIn.objects.get().reflection == "Mine."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Say whether you attended."),
        ({"attended": "yes", "usefulness": "9"}, "Select a valid choice"),
        ({"attended": "yes", "usefulness": "3", "minutes": "abc"}, "whole number of minutes"),
        ({"attended": "yes", "usefulness": "3", "minutes": "-5"}, "0 or more minutes"),
        ({"attended": "yes"}, "Choose how useful the session was"),
        ({"attended": "yes", "usefulness": "3", "reflection": "x" * 4001}, "4,000 characters"),
    ],
)
def test_check_in_bad_input_is_explained_and_kept(world, data, message):
    session = _first_session(world)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=4),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )

    response = client_for(world.member).post(
        reverse("pairing:session_checkin", args=[session.pk]),
        {**data, "reflection": data.get("reflection", "kept words")},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert "kept words" in text or "x" * 100 in text
    assert not SessionCheckIn.objects.exists()


def test_the_set_evaluation_opens_after_the_last_session_and_checks_before_and_now(world):
    url = reverse("pairing:set_evaluate", args=[world.mine.pk])
    client = client_for(world.member)
    early = client.get(url)
    past = timezone.now() - dt.timedelta(days=1)
    for session in world.mine.sessions.all():
        Session.objects.filter(pk=session.pk).update(
            starts_at=past - dt.timedelta(hours=3), ends_at=past
        )

    one_sided = client.post(
        url, {"usefulness": "4", "would_recommend": "yes", "confidence_before": "2"}
    )
    saved = client.post(
        url,
        {
            "usefulness": "4",
            "would_recommend": "yes",
            "confidence_before": "2",
            "confidence_after": "4",
        },
    )

    assert "opens after the set" in early.content.decode()
    assert "Answer both before and now, or neither." in one_sided.content.decode()
    assert saved.status_code == 302
    assert world.mine.evaluations.get().confidence_after == 4


def test_leaving_the_set_keeps_the_others_and_hides_the_page(world):
    client = client_for(world.member)

    client.post(reverse("pairing:set_leave", args=[world.mine.pk]))

    assert world.member.pk not in set_member_ids(world.mine)
    assert len(set_member_ids(world.mine)) == 4
    # The page is hidden: in its place a short note that they left, nothing of the set.
    page = client.get(reverse("pairing:set_detail", args=[world.mine.pk])).content.decode()
    assert "You left this learning set" in page
    assert "The people in your set" not in page and "Rota" not in page


def test_the_dashboard_shows_the_next_session(world):
    body = client_for(world.member).get(reverse("members:dashboard")).content.decode()

    assert "My learning sets" in body
    assert "Next session" in body


# --- The organisers' cycle page in the admin ----------------------------------------------


def test_organisers_page_lists_sets_and_sessions_for_organisers_only(world):
    url = reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    stranger = UserFactory(is_staff=True)

    page = client_for(world.organiser).get(url)

    assert page.status_code == 200
    assert "Set 1" in page.content.decode() and "Set 2" in page.content.decode()
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(world.member).get(url).status_code == 302  # the admin's login
    assert client_for(None).get(url).status_code == 302


def test_a_small_set_is_flagged_and_can_be_merged_or_continue(world):
    url = reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    client = client_for(world.organiser)
    client_for(world.member).post(reverse("pairing:set_leave", args=[world.mine.pk]))
    client_for(world.host).post(reverse("pairing:set_leave", args=[world.mine.pk]))
    third = set_member_ids(world.mine)[0]  # 2 + 5: within the 7 a set can have
    client_for(User.objects.get(pk=third)).post(reverse("pairing:set_leave", args=[world.mine.pk]))

    flagged = client.get(url).content.decode()
    client.post(url, {"action": "continue", "set": world.mine.pk})
    world.mine.refresh_from_db()
    client.post(
        url, {"action": "merge", "set": world.mine.pk, "into": world.theirs.pk, "confirmed": "yes"}
    )

    assert "Below the minimum of 4" in flagged
    assert world.mine.continue_smaller
    assert len(set_member_ids(world.theirs)) == 7
    assert set_member_ids(world.mine) == []


def test_a_small_set_whose_sessions_are_over_is_not_offered_a_merge(world):
    # Walk 45: "Below the minimum of 4" with Merge and Continue smaller after the cycle.
    from tests.pairing.set_helpers import hold_sessions

    url = reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    for user in (world.member, world.host):
        client_for(user).post(reverse("pairing:set_leave", args=[world.mine.pk]))
    during = client_for(world.organiser).get(url).content.decode()
    hold_sessions(world.mine, world.mine.sessions.count())

    after = client_for(world.organiser).get(url).content.decode()

    assert "Below the minimum of 4" in during
    assert "Below the minimum of 4" not in after and "Continue smaller" not in after


@pytest.mark.parametrize(
    "data",
    [
        {"action": "merge", "set": "abc", "into": "x"},
        {"action": "explode", "set": "1"},
        {"action": "move", "set": "1", "session": "zzz"},
        {},
    ],
)
def test_organiser_actions_with_tampered_input_never_fail_with_500(world, data):
    url = reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    if data.get("set") == "1":
        data = {**data, "set": str(world.mine.pk)}

    response = client_for(world.organiser).post(url, data)

    assert response.status_code in {302, 404}


def test_organiser_moves_a_session_from_the_page_with_errors_in_words(world):
    url = reverse("admin:pairing_cycle_sets", args=[world.mine.cycle_id])
    session = world.mine.sessions.get(number=2)
    client = client_for(world.organiser)

    bad = client.post(
        url,
        {"action": "move", "set": world.mine.pk, "session": session.pk, f"s{session.pk}-day": ""},
        follow=True,
    )
    new_day = (session.starts_at + dt.timedelta(days=7)).date().isoformat()
    client.post(
        url,
        {
            "action": "move",
            "set": world.mine.pk,
            "session": session.pk,
            f"s{session.pk}-day": new_day,
            f"s{session.pk}-time": "10:00",
        },
    )

    assert "Choose the new date." in bad.content.decode()
    session.refresh_from_db()
    assert session.sequence == 1 and session.starts_at.date().isoformat() == new_day


def test_the_match_page_of_a_set_points_to_the_set_page(world):
    page = client_for(world.member).get(reverse("pairing:match_detail", args=[world.mine.match_id]))

    assert reverse("pairing:set_detail", args=[world.mine.pk]) in page.content.decode()


def _cycle_form(programme, **overrides):
    data = {
        "programme": programme.pk,
        "first_session_on": "2027-03-01",
        "start_time": "10:00",
        "sessions": "6",
        "interval_weeks": "8",
        "session_minutes": "180",
        "venue": "",
        "online_link": "",
        "facilitation": "external",
        "facilitator_name": "",
        "facilitator_email": "",
    }
    return {**data, **overrides}


def test_organisers_set_up_a_cycle_in_the_admin_with_errors_in_words(organiser_client):
    from pairing.sets.models import Cycle
    from tests.factories import ProgrammeFactory

    programme = learning_set_programme()
    coffee = ProgrammeFactory(kind="coffee")

    refused = organiser_client.post("/admin/pairing/cycle/add/", _cycle_form(programme))
    wrong_kind = organiser_client.post(
        "/admin/pairing/cycle/add/", _cycle_form(coffee, venue="Room 1", facilitation="rotating")
    )
    saved = organiser_client.post(
        "/admin/pairing/cycle/add/",
        _cycle_form(programme, venue="Room 1", facilitator_email="fay@example.org"),
    )

    text = refused.content.decode()
    assert "Give the external facilitator" in text and "Give a venue, an online link" in text
    assert "Cycles are for action learning set programmes." in wrong_kind.content.decode()
    assert saved.status_code == 302
    cycle = Cycle.objects.get()
    assert (cycle.sessions, cycle.interval_weeks, cycle.facilitator_email) == (
        6,
        8,
        "fay@example.org",
    )


def test_a_formed_cycle_in_the_admin_links_to_its_sets_and_keeps_its_series(
    world, organiser_client
):
    client = organiser_client  # a superuser: staff need the admin's cycle permissions
    cycle = world.mine.cycle

    listing = client.get("/admin/pairing/cycle/").content.decode()
    change = client.get(f"/admin/pairing/cycle/{cycle.pk}/change/")

    assert reverse("admin:pairing_cycle_sets", args=[cycle.pk]) in listing
    assert change.status_code == 200
    assert 'name="sessions"' not in change.content.decode()  # fixed once formed


def test_the_dashboard_offers_to_skip_the_next_cycle_not_the_next_round(world):
    body = client_for(world.member).get(reverse("members:dashboard")).content.decode()

    assert "Skip the next cycle" in body
    assert "Skip the next round" not in body


@pytest.mark.parametrize(
    ("attended", "badge"),
    [
        (False, "Your turn: you were not there"),
        (True, "You presented"),
        (None, "You presented"),  # no check-in: the rota says they presented
    ],
)
def test_a_held_turn_says_whether_the_member_was_there(world, attended, badge):
    # Walk 39: a member who checked in "No, I did not attend" read "You presented".
    session = _first_session(world)
    Presenter.objects.get_or_create(session=session, user=world.member)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=4),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    if attended is not None:
        SessionCheckIn.objects.create(session=session, user=world.member, attended=attended)

    page = client_for(world.member).get(reverse("pairing:set_detail", args=[world.mine.pk]))

    card = re.search(
        r'<article class="card" id="session-1">.*?</article>', page.content.decode(), re.S
    )
    assert card and badge in card.group(0)
    others = {"Your turn: you were not there", "You presented"} - {badge}
    assert not any(other in card.group(0) for other in others)


def test_the_check_in_page_names_the_set_and_its_cycle(world):
    # Walk 41: "<programme>, set 1" alone, where a member meets in a set every cycle.
    session = _first_session(world)
    cycle = world.mine.cycle

    page = client_for(world.member).get(reverse("pairing:session_checkin", args=[session.pk]))

    assert (
        f"{cycle.programme.name}, set {world.mine.number} (cycle from "
        f"{cycle.first_session_on.day} {cycle.first_session_on:%B %Y})"
    ) in page.content.decode()


def test_a_finished_sets_page_offers_no_dates_to_look_after_or_link_to_join(world):
    # Walk 44: "You look after the dates: you can move or cancel a session" and "Join
    # online" after the last session.
    from tests.pairing.set_helpers import hold_sessions

    Cycle.objects.filter(pk=world.mine.cycle_id).update(online_link="https://meet.example.org/x")
    url = reverse("pairing:set_detail", args=[world.mine.pk])
    during = client_for(world.host).get(url).content.decode()
    hold_sessions(world.mine, world.mine.sessions.count())

    after = client_for(world.host).get(url).content.decode()

    assert "You look after the dates" in during and "Join online:" in during
    assert "You look after the dates" not in after and "Join online:" not in after
    # Walk 45: nor leaving a set whose sessions are over.
    assert "Leave this set" in during and "Leave this set" not in after
    leave = client_for(world.host).post(reverse("pairing:set_leave", args=[world.mine.pk]))
    assert leave.status_code == 302 and leave.url == url
    assert world.host.pk in set_member_ids(world.mine)
