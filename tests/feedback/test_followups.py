"""The "did you meet?" follow-up: when it goes, once only, the one reminder, asking again
after "not yet", and the emails as members read them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing

from config.schedule import schedule_tick
from feedback.links import SALT
from feedback.models import CheckIn, Evaluation, Met
from feedback.services import evaluation_submit, followups_send_due
from pairing.models import Membership, MembershipStatus, OutboxEmail, OutboxKind, RoundStatus
from pairing.outbox import build_message
from tests.factories import MembershipFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match, seat_of

pytestmark = pytest.mark.django_db
RAN = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def match(programme, member, other_member):
    for user in (member, other_member):
        MembershipFactory(user=user, programme=programme)
    return make_match(done_round(programme, finished_at=RAN), member, other_member)


def _emails(kind=None):
    rows = OutboxEmail.objects.all()
    return list(rows.filter(kind=kind) if kind else rows)


def _answer(match, user, met, now):
    data = {"met": met, "usefulness": 4 if met == Met.YES else None}
    return evaluation_submit(match=match, user=user, data=data, topics=[], now=now)


# --- The first ask ---------------------------------------------------------------------


def test_followup_waits_until_followup_days_after_the_round_ran(match):
    queued = followups_send_due(now=RAN + 14 * DAY - dt.timedelta(minutes=1))

    assert queued == 0
    assert _emails() == []
    assert not CheckIn.objects.exists()


def test_followup_goes_to_each_member_followup_days_after_the_round_ran(
    match, member, other_member
):
    queued = followups_send_due(now=RAN + 14 * DAY)

    rows = _emails(OutboxKind.FOLLOWUP)
    assert queued == 2
    assert {(r.user_id, r.match_id) for r in rows} == {
        (member.pk, match.pk),
        (other_member.pk, match.pk),
    }
    assert {r.key for r in rows} == {
        f"followup:{seat_of(match, member).pk}:1",
        f"followup:{seat_of(match, other_member).pk}:1",
    }


def test_followup_records_when_each_member_was_asked(match, member):
    followups_send_due(now=RAN + 14 * DAY)

    checkin = CheckIn.objects.get(seat=seat_of(match, member))
    assert checkin.asked_at == RAN + 14 * DAY
    assert checkin.times_asked == 1


def test_followup_uses_the_programmes_own_number_of_days(programme, match):
    programme.followup_days = 3
    programme.save()

    queued = followups_send_due(now=RAN + 3 * DAY)

    assert queued == 2


def test_two_ticks_send_the_followup_only_once(match):
    followups_send_due(now=RAN + 14 * DAY)
    queued_again = followups_send_due(now=RAN + 14 * DAY + dt.timedelta(minutes=5))

    assert queued_again == 0
    assert len(_emails(OutboxKind.FOLLOWUP)) == 2


@pytest.mark.parametrize("status", [RoundStatus.PLANNED, RoundStatus.RUNNING, RoundStatus.FAILED])
def test_nobody_is_asked_about_a_round_that_is_not_done(programme, member, other_member, status):
    pairing_round = done_round(programme, finished_at=RAN, status=status)
    make_match(pairing_round, member, other_member)

    queued = followups_send_due(now=RAN + 30 * DAY)

    assert queued == 0
    assert not CheckIn.objects.exists()


def test_a_deleted_accounts_seat_is_not_asked(programme, member):
    make_match(done_round(programme, finished_at=RAN), member, None)

    followups_send_due(now=RAN + 14 * DAY)

    assert [r.user_id for r in _emails()] == [member.pk]


def test_a_member_who_left_the_programme_is_not_asked(match, member, other_member):
    Membership.objects.filter(user=other_member).update(status=MembershipStatus.LEFT)

    followups_send_due(now=RAN + 14 * DAY)

    assert [r.user_id for r in _emails()] == [member.pk]


def test_a_member_who_already_gave_feedback_is_not_asked(match, member, other_member):
    _answer(match, other_member, Met.YES, now=RAN + 2 * DAY)

    followups_send_due(now=RAN + 14 * DAY)

    assert [r.user_id for r in _emails()] == [member.pk]


def test_members_are_still_asked_when_a_quick_next_round_has_run(programme, match):
    done_round(programme, finished_at=RAN + 10 * DAY)

    queued = followups_send_due(now=RAN + 14 * DAY)

    assert queued == 2


def test_nobody_is_asked_once_feedback_has_closed(programme, match):
    done_round(programme, finished_at=RAN + 10 * DAY)

    queued = followups_send_due(now=RAN + 60 * DAY)

    assert queued == 0


def test_schedule_tick_sends_due_followups(match, monkeypatch):
    # The sweep would hand the new rows to Celery; the tick's own work is what is tested.
    monkeypatch.setattr("pairing.outbox.outbox_sweep", lambda **kwargs: 0)

    schedule_tick(now=RAN + 14 * DAY)

    assert len(_emails(OutboxKind.FOLLOWUP)) == 2


# --- The one reminder ------------------------------------------------------------------


def test_reminder_goes_a_week_after_the_ask_when_nobody_answered(match):
    followups_send_due(now=RAN + 14 * DAY)

    too_early = followups_send_due(now=RAN + 21 * DAY - dt.timedelta(minutes=1))
    on_time = followups_send_due(now=RAN + 21 * DAY)

    assert too_early == 0
    assert on_time == 2
    assert len(_emails(OutboxKind.REMINDER)) == 2


def test_reminder_is_sent_only_once(match):
    followups_send_due(now=RAN + 14 * DAY)
    followups_send_due(now=RAN + 21 * DAY)

    followups_send_due(now=RAN + 21 * DAY + dt.timedelta(minutes=5))
    followups_send_due(now=RAN + 35 * DAY)

    assert len(_emails(OutboxKind.REMINDER)) == 2
    assert len(_emails(OutboxKind.FOLLOWUP)) == 2


def test_no_reminder_for_a_member_who_answered(match, member, other_member):
    followups_send_due(now=RAN + 14 * DAY)
    _answer(match, member, Met.NO, now=RAN + 15 * DAY)

    followups_send_due(now=RAN + 21 * DAY)

    assert [r.user_id for r in _emails(OutboxKind.REMINDER)] == [other_member.pk]


# --- "Not yet" -------------------------------------------------------------------------


def test_not_yet_asks_again_a_week_later(match, member):
    followups_send_due(now=RAN + 14 * DAY)
    _answer(match, member, Met.NOT_YET, now=RAN + 15 * DAY)

    before = followups_send_due(now=RAN + 21 * DAY)
    after = followups_send_due(now=RAN + 22 * DAY)

    seat = seat_of(match, member)
    mine = [r.key for r in _emails() if r.user_id == member.pk]
    assert before == 1  # only the partner's reminder: "not yet" is an answer
    assert after == 1
    assert mine == [f"followup:{seat.pk}:1", f"followup:{seat.pk}:2"]


def test_not_yet_is_asked_again_at_most_twice(match, member):
    now = RAN + 14 * DAY
    followups_send_due(now=now)
    for _ in range(4):
        now += DAY
        _answer(match, member, Met.NOT_YET, now=now)
        now += 7 * DAY
        followups_send_due(now=now)

    asks = [r for r in _emails(OutboxKind.FOLLOWUP) if r.user_id == member.pk]
    assert len(asks) == 3
    assert CheckIn.objects.get(seat=seat_of(match, member)).ask_again_on is None


def test_not_yet_then_met_stops_the_asking(match, member):
    followups_send_due(now=RAN + 14 * DAY)
    _answer(match, member, Met.NOT_YET, now=RAN + 15 * DAY)
    _answer(match, member, Met.YES, now=RAN + 18 * DAY)

    followups_send_due(now=RAN + 22 * DAY)

    assert [r.key for r in _emails(OutboxKind.FOLLOWUP) if r.user_id == member.pk] == [
        f"followup:{seat_of(match, member).pk}:1"
    ]
    assert Evaluation.objects.get(user=member).met == Met.YES


def test_not_yet_before_being_asked_replaces_the_first_ask_with_one_a_week_later(match, member):
    _answer(match, member, Met.NOT_YET, now=RAN + 10 * DAY)

    at_followup_day = followups_send_due(now=RAN + 14 * DAY)
    a_week_after_answer = followups_send_due(now=RAN + 17 * DAY)

    assert at_followup_day == 1  # the partner only
    assert a_week_after_answer == 1
    assert len([r for r in _emails() if r.user_id == member.pk]) == 1


# --- The emails ------------------------------------------------------------------------


def _message(match, user, kind=OutboxKind.FOLLOWUP):
    followups_send_due(now=RAN + 14 * DAY)
    if kind == OutboxKind.REMINDER:
        followups_send_due(now=RAN + 21 * DAY)
    row = OutboxEmail.objects.get(kind=kind, user=user)
    return build_message(row)


def test_followup_email_is_addressed_to_the_one_member_and_names_the_partner(match, member):
    message = _message(match, member)

    assert message.to == ["ada@example.org"]
    assert message.subject == "Did you meet Grace Hopper?"
    assert "Hello Ada Lovelace," in message.body
    assert "grace@example.org" not in message.body


def test_followup_email_has_three_one_click_answers_to_the_members_own_form(match, member):
    message = _message(match, member)

    html = message.alternatives[0].content
    seat = seat_of(match, member)
    for answer in ("yes", "not_yet", "no"):
        urls = [w for w in message.body.split() if w.endswith(f"?met={answer}")]
        assert len(urls) == 1
        assert urls[0] in html
        token = urlsplit(urls[0]).path.split("/")[2]
        assert signing.loads(token, salt=SALT) == {"s": seat.pk}
        assert parse_qs(urlsplit(urls[0]).query) == {"met": [answer]}


def test_followup_email_says_it_takes_two_minutes_and_builds_the_cpd_record(match, member):
    message = _message(match, member)

    html = message.alternatives[0].content
    assert "It takes 2 minutes and builds your CPD record." in message.body
    assert "It takes 2 minutes and builds your CPD record." in html
    assert "never shown to Grace Hopper" in message.body


def test_reminder_email_says_it_is_the_only_reminder(match, member):
    message = _message(match, member, OutboxKind.REMINDER)

    assert message.subject == "Reminder: did you meet Grace Hopper?"
    assert "we won't chase you again" in message.body
    assert "?met=not_yet" in message.body


def test_followup_for_a_trio_names_both_partners(programme, member, other_member):
    third = UserFactory(profile__display_name="Alan Turing")
    match = make_match(done_round(programme, finished_at=RAN), member, other_member, third)

    message = _message(match, member)

    assert message.subject == "Did you meet Grace Hopper and Alan Turing?"
