"""Retention through the scheduler's tick: an inactive account is warned once, then
deleted if still inactive; activity keeps it; evaluation free text older than the
retention period is blanked while every count stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from config.schedule import schedule_tick
from feedback.models import Evaluation
from feedback.services import evaluations_free_text_expire
from members.models import User
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.builders import evaluate, make_match, make_round

pytestmark = pytest.mark.django_db
NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=800)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_INACTIVE_DAYS = 730
    settings.RETENTION_WARNING_DAYS = 30


def dormant(email: str = "old@example.org", **fields: object) -> User:
    user = UserFactory(email=email, **fields)
    User.objects.filter(pk=user.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    return user


def test_an_inactive_account_is_warned_once_then_deleted_by_the_tick(mailoutbox):
    user = dormant()

    schedule_tick(now=NOW)
    schedule_tick(now=NOW + dt.timedelta(days=1))

    assert [m.to for m in mailoutbox] == [["old@example.org"]]
    assert "will be deleted on" in mailoutbox[0].subject
    assert "/accounts/login/" in mailoutbox[0].body
    assert User.objects.filter(pk=user.pk).exists()  # not before the notice period ends

    schedule_tick(now=NOW + dt.timedelta(days=31))

    assert not User.objects.filter(pk=user.pk).exists()
    assert len(mailoutbox) == 1


def test_logging_in_after_the_warning_keeps_the_account(mailoutbox):
    user = dormant()
    schedule_tick(now=NOW)

    User.objects.filter(pk=user.pk).update(last_login=NOW + dt.timedelta(days=2))
    schedule_tick(now=NOW + dt.timedelta(days=31))

    user.refresh_from_db()
    assert user.retention_warned_at is None
    assert len(mailoutbox) == 1


def test_a_member_still_being_introduced_is_not_inactive(mailoutbox):
    user = dormant()
    pairing_round = make_round(ProgrammeFactory(), 1)
    pairing_round.scheduled_for = NOW.date() - dt.timedelta(days=20)
    pairing_round.save()
    make_match(pairing_round, user)

    schedule_tick(now=NOW)

    assert mailoutbox == []


def test_organisers_accounts_are_never_deleted_for_inactivity(mailoutbox):
    dormant("staff@example.org", is_staff=True)

    schedule_tick(now=NOW)

    assert mailoutbox == []


def test_the_period_comes_from_the_setting(settings, mailoutbox):
    settings.RETENTION_INACTIVE_DAYS = 1000
    dormant()

    schedule_tick(now=NOW)

    assert mailoutbox == []


def test_old_evaluation_free_text_is_blanked_by_the_tick_and_counts_stay():
    pairing_round = make_round(ProgrammeFactory(), 1)
    kept = dict(met="no", usefulness=4, minutes=30, meet_again="yes")
    private = evaluate(
        make_match(pairing_round),
        **kept,
        not_met_reason="My manager",
        topics_other="Budgets",
        next_steps="Try PRESS",
        private_comment="Between us",
        takeaway="Keep it to myself",
    )
    shared = evaluate(make_match(pairing_round), takeaway="Shared tip", share_takeaway=True)
    recent = evaluate(make_match(pairing_round), private_comment="Last week")
    Evaluation.objects.filter(pk__in=[private.pk, shared.pk]).update(updated_at=LONG_AGO)

    schedule_tick(now=NOW)

    private.refresh_from_db()
    assert (private.not_met_reason, private.topics_other, private.next_steps) == ("", "", "")
    assert (private.private_comment, private.takeaway) == ("", "")
    assert {k: getattr(private, k) for k in kept} == kept
    assert Evaluation.objects.count() == 3
    assert Evaluation.objects.get(pk=shared.pk).takeaway == "Shared tip"  # the member shared it
    assert Evaluation.objects.get(pk=recent.pk).private_comment == "Last week"


def test_blanking_free_text_twice_finds_nothing_the_second_time():
    evaluate(make_match(make_round(ProgrammeFactory(), 1)), private_comment="Old")
    Evaluation.objects.update(updated_at=LONG_AGO)

    assert evaluations_free_text_expire(now=NOW, days=730) == 1
    assert evaluations_free_text_expire(now=NOW, days=730) == 0


def test_the_privacy_notice_says_how_long_data_is_kept(client, settings):
    settings.RETENTION_INACTIVE_DAYS = 1095

    page = client.get("/privacy/").content.decode()

    assert "How long we keep it" in page
    assert "3 years (1095 days)" in page and "30 days later" in page


def test_the_privacy_notice_says_a_concern_outlives_its_reporters_account(client):
    """A concern's text stays for the organisers after its reporter deletes their account
    (the concern page then says the reporter cannot be contacted): the notice says so."""
    page = client.get("/privacy/").content.decode()

    assert "<strong>Concerns</strong> you report" in page
    assert "safeguarding record" in page
