"""The organiser home (the admin index): per programme the next round and who is eligible,
the last round's delivery and who it left out, the meeting and feedback rates, new
concerns; only the organiser's own programmes; a fixed number of queries however many
programmes, and never a round's engine input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Evaluation
from members.invitations.models import Invitation
from pairing.models import Concern, LeftOut, OutboxEmail, OutboxKind, OutboxStatus, Round
from pairing.organiser_home import eligible_memberships, programme_summaries
from pairing.rounds import round_eligibility
from pairing.rounds.unplaced import told_again
from pairing.sets.models import Session, SessionCheckIn
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round, send_intro
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's visible words, tags stripped and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", body))


def _busy_programme(name: str, *, members: int = 4):
    """A programme with a run round: emails sent and failed, one left out, evaluations
    (one said they did not meet), concerns new and in progress."""
    programme = ProgrammeFactory(name=name, next_round_on=dt.date(2099, 3, 3))
    people = [UserFactory() for _ in range(members)]
    for person in people:
        MembershipFactory(user=person, programme=programme)
    make_round(programme, 1)
    last = make_round(programme, 2)
    first = make_match(last, people[0], people[1])
    second = make_match(last, people[2], people[3])
    send_intro(first)
    send_intro(second, status=OutboxStatus.FAILED)
    OutboxEmail.objects.create(
        key=f"left:{last.pk}",
        kind=OutboxKind.LEFT_OUT,
        pairing_round=last,
        user=people[0],
        status=OutboxStatus.FAILED,
        last_error="Not sent: the member unsubscribed",
    )
    LeftOut.objects.create(pairing_round=last, user=UserFactory(), reason="odd number")
    evaluate(first, people[0])
    evaluate(first, people[1])
    evaluate(second, people[2], met="no")
    Concern.objects.create(reporter=people[0], match=first, text="Rude.")
    Concern.objects.create(reporter=people[1], match=first, text="Late.", status="in_progress")
    Concern.objects.create(reporter=people[2], match=second, text="Closed.", status="closed")
    return programme, last


def test_the_home_shows_each_figure_with_a_link_to_its_detail(organiser_client):
    programme, last = _busy_programme("North West coffee")

    response = organiser_client.get(reverse("admin:index"))

    text = _text(response)
    body = response.content.decode()
    assert "Organiser home" in text and "Your programmes" in text
    assert "Tue 3 Mar 2099: 4 members eligible" in text
    day = last.held_on
    assert f"Round 2, {day:%-d %b %Y}: introductions and notices 1 sent, 1 failed" in text
    assert "1 not sent (unsubscribed or bouncing)" in text
    assert "1 left out last round" in text
    assert "2 of 3 answers (67%)" in text  # said they met
    assert "3 answers so far; 3 of the 4 members asked answered (75%)." in text  # feedback
    assert "1 new" in text and "1 in progress" in text
    assert reverse("admin:pairing_programme_next_round", args=[programme.pk]) in body
    assert reverse("admin:pairing_round_progress", args=[last.pk]) in body
    assert reverse("feedback:programme_report", args=[programme.pk]) in body
    concerns = reverse("admin:pairing_concern_changelist")
    assert f"{concerns}?status__exact=new&amp;programme={programme.pk}" in body
    assert reverse("organise:members_csv", args=[programme.pk]) in body
    assert reverse("organise:matches_csv", args=[last.pk]) in body


def test_members_left_out_twice_running_are_counted_as_their_email_says(organiser_client):
    """Walk 48: a member left out a second round running is told "the organisers have
    been told"; a round run on its day, with no preview, told them nothing."""
    _, last = _busy_programme("North West coffee")
    told = told_again({"reason": "you were alone", "first_in_line": True}, 1)["reason"]
    LeftOut.objects.create(pairing_round=last, user=UserFactory(), reason=told)

    text = _text(organiser_client.get(reverse("admin:index")))

    assert "2 left out last round, 1 of them the round before too" in text


def test_a_programme_with_no_round_yet_says_so(organiser_client):
    ProgrammeFactory(name="Brand new", next_round_on=None)

    text = _text(organiser_client.get(reverse("admin:index")))

    assert "no date set: 0 members eligible" in text
    assert "no round has run yet" in text
    assert "no answers yet" in text
    assert "Feedback No round has run yet. Members are asked “did you meet?”" in text


def test_eligible_count_follows_the_rounds_own_rules(organiser):
    today = timezone.localdate()
    coffee = ProgrammeFactory(name="Coffee")
    mentoring = ProgrammeFactory(name="Mentoring", kind="mentoring")
    MembershipFactory(programme=coffee)
    MembershipFactory(programme=coffee, status="left")
    MembershipFactory(programme=coffee, skip_next_round=True)
    MembershipFactory(programme=coffee, status="paused", paused_until=today + dt.timedelta(9))
    MembershipFactory(programme=coffee, status="paused", paused_until=today)  # pause ended
    MembershipFactory(programme=coffee, user=UserFactory(verified=False))
    MembershipFactory(programme=coffee, user=UserFactory(is_active=False))
    MembershipFactory(programme=coffee, user=UserFactory(profile__display_name=""))
    for role in ["offer", "seek", "seek", "seek", ""]:
        MembershipFactory(programme=mentoring, mentoring_role=role)

    summaries = {s.programme.name: s for s in programme_summaries(user=organiser, today=today)}

    for programme in (coffee, mentoring):
        expected = len(round_eligibility(programme=programme, today=today).eligible)
        assert summaries[programme.name].eligible == expected
    assert summaries["Coffee"].eligible == 2
    assert eligible_memberships(today=today).filter(programme=mentoring).count() == 4
    assert (summaries["Mentoring"].mentors, summaries["Mentoring"].mentees) == (1, 3)
    assert summaries["Mentoring"].mentoring_waiting == 2
    assert summaries["Coffee"].mentoring_waiting == 0


def test_unbalanced_mentoring_says_who_waits(organiser_client):
    mentoring = ProgrammeFactory(name="Mentoring", kind="mentoring")
    for role in ["offer", "seek", "seek", "seek"]:
        MembershipFactory(programme=mentoring, mentoring_role=role)

    text = _text(organiser_client.get(reverse("admin:index")))

    assert "1 mentor and 3 mentees eligible: 2 will wait for mentors" in text


def test_an_organiser_sees_only_their_own_programmes(client):
    mine, _ = _busy_programme("Mine")
    _busy_programme("Someone else's")
    organiser = UserFactory(is_staff=True)
    mine.organisers.add(organiser)
    client.force_login(organiser)

    text = _text(client.get(reverse("admin:index")))

    assert "Mine" in text
    assert "Someone else" not in text


def test_a_staff_user_who_organises_nothing_is_told_so(client):
    _busy_programme("Someone else's")
    client.force_login(UserFactory(is_staff=True))

    text = _text(client.get(reverse("admin:index")))

    assert "You do not organise a programme yet" in text
    assert "Someone else" not in text


@pytest.mark.parametrize("app", ["pairing", "members", "feedback"])
def test_an_app_index_page_is_not_an_empty_organiser_home(organiser_client, app):
    # Walk 46: /admin/pairing/ told an organiser of five programmes "You do not organise a
    # programme yet" (Django's app index extends the admin index template).
    _busy_programme("North West coffee")

    text = _text(organiser_client.get(reverse("admin:app_list", args=[app])))

    assert "You do not organise a programme yet" not in text
    assert "Your programmes" not in text


def test_a_member_never_sees_the_home(member_client):
    _busy_programme("North West coffee")

    response = member_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "North West coffee" not in response.content.decode()


def _home_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:index")).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_queries_stay_flat_however_many_programmes(organiser_client, django_assert_max_num_queries):
    _busy_programme("First")
    few = len(_home_queries(organiser_client))
    for number in range(12):
        _busy_programme(f"Programme {number}", members=6)

    with django_assert_max_num_queries(few):
        response = organiser_client.get(reverse("admin:index"))

    assert response.content.decode().count('class="programme-summary"') == 13
    assert few <= 16


def test_the_home_never_reads_a_rounds_engine_input_or_draft(organiser_client):
    _busy_programme("North West coffee")

    sql = " ".join(_home_queries(organiser_client)).lower()

    assert "snapshot" not in sql
    assert "draft" not in sql


def test_evaluations_count_towards_the_rates_of_their_own_programme_only(organiser):
    _busy_programme("First")
    second = ProgrammeFactory(name="Second")
    match = make_match(make_round(second, 1), UserFactory(), UserFactory())
    evaluate(match, match.members.first().user, met="no")

    summaries = {
        s.programme.name: s for s in programme_summaries(user=organiser, today=timezone.localdate())
    }

    assert (summaries["First"].met.part, summaries["First"].met.whole) == (2, 3)
    assert (summaries["Second"].met.part, summaries["Second"].met.whole) == (0, 1)
    assert (summaries["Second"].responses.part, summaries["Second"].responses.whole) == (1, 2)
    assert Evaluation.objects.count() == 4


def test_a_learning_set_programme_shows_attendance_from_check_ins(organiser_client):
    programme = learning_set_programme(name="Action learning")
    members = join(programme, 5)
    _cycle, (learning_set,) = form_cycle(programme)
    first, second = learning_set.sessions.order_by("number")[:2]
    Session.objects.filter(pk=first.pk).update(checkin_sent_at=timezone.now())
    for number, member in enumerate(members[:4]):
        SessionCheckIn.objects.create(session=first, user=member, attended=number < 3)

    text = _text(organiser_client.get(reverse("admin:index")))

    assert "Attended 3 of 4 check-ins (75%)" in text
    assert "Check-ins given 4 after 1 session" in text
    assert "Said they met" not in text  # sets meet in sessions, not once per match
    assert second.checkins.count() == 0


def test_invitations_waiting_for_an_answer_link_to_the_programmes_invitations(organiser_client):
    programme = ProgrammeFactory(name="North West coffee")
    later = timezone.now() + dt.timedelta(days=14)
    Invitation.objects.create(programme=programme, email="a@example.org", expires_at=later)
    Invitation.objects.create(
        programme=programme, email="b@example.org", expires_at=later, signed_up_at=timezone.now()
    )
    Invitation.objects.create(
        programme=programme, email="c@example.org", expires_at=timezone.now()
    )  # expired
    Invitation.objects.create(
        programme=ProgrammeFactory(name="Other"), email="d@example.org", expires_at=later
    )

    response = organiser_client.get(reverse("admin:index"))

    text = _text(response)
    assert "North West coffee" in text
    assert "Invitations pending 2 waiting for an answer" in text
    assert "Invitations pending 1 waiting for an answer" in text  # the other programme's own
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    assert url in response.content.decode()


def test_feedback_given_counts_only_rounds_already_asked_did_you_meet(organiser_client):
    programme, _last = _busy_programme("North West coffee")  # 3 of 4 answered
    now = timezone.now()
    just_run = make_round(programme, 3)
    just_run.finished_at = now - dt.timedelta(minutes=10)
    just_run.save(update_fields=["finished_at"])
    for _ in range(3):
        make_match(just_run, UserFactory(), UserFactory())

    text = _text(organiser_client.get(reverse("admin:index")))

    # The 6 introduced ten minutes ago have not been asked yet: not "3 of 10 (30%)".
    asked_on = timezone.localdate(just_run.finished_at) + dt.timedelta(days=programme.followup_days)
    assert "3 answers so far; 3 of the 4 members asked answered (75%)." in text
    assert (
        f"Members are asked “did you meet?” {programme.followup_days} days after each round: "
        f"next on {asked_on:%a %-d %b}." in text
    )
    # Once the question has gone out, the round counts.
    Round.objects.filter(pk=just_run.pk).update(
        finished_at=now - dt.timedelta(days=programme.followup_days, minutes=1)
    )
    text = _text(organiser_client.get(reverse("admin:index")))
    assert "3 answers so far; 3 of the 10 members asked answered (30%)." in text
    assert "next on" not in text


def test_answers_given_before_anyone_was_asked_are_not_hidden_behind_no_round_asked(
    organiser_client,
):
    """A member may tell us how it went from the match page before "did you meet?" goes
    out: the home counts it, as "Said they met" does."""
    programme = ProgrammeFactory(name="Brand new coffee")
    first = make_round(programme, 1)
    first.finished_at = timezone.now() - dt.timedelta(minutes=10)
    first.save(update_fields=["finished_at"])
    one, other = UserFactory(), UserFactory()
    evaluate(make_match(first, one, other), one)

    text = _text(organiser_client.get(reverse("admin:index")))

    assert "1 of 1 answer (100%)" in text  # said they met
    assert "Feedback 1 answer so far. Members are asked" in text


def test_the_last_round_counts_its_introductions_not_later_emails(organiser_client):
    """Strategy and follow-up emails tied to the round later are not its run's delivery
    (the progress page it links to counts the same)."""
    _programme, last = _busy_programme("North West coffee")
    for n, kind in enumerate([OutboxKind.STRATEGY_SHARED, OutboxKind.FOLLOWUP]):
        OutboxEmail.objects.create(
            key=f"later:{n}", kind=kind, pairing_round=last, status=OutboxStatus.SENT
        )

    text = _text(organiser_client.get(reverse("admin:index")))

    assert f"Round 2, {last.held_on:%-d %b %Y}: introductions and notices 1 sent, 1 failed" in text
