"""The feedback form and the match page say when answers can no longer be changed, and
keep the promise: a monthly programme's form said "until 1 February" (8 weeks after the
round) and closed on 5 January, when the next round ran on its planned day (walk 28)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Evaluation, Met
from feedback.services import evaluation_is_open
from pairing.models import Programme
from tests.factories import ProgrammeFactory, UserFactory
from tests.feedback.evaluation_helpers import done_round, make_match

pytestmark = pytest.mark.django_db


def _pages(days_to_next_round: int | None, followup_days: int = 7):
    ran = timezone.now() - dt.timedelta(days=10)
    nxt = None if days_to_next_round is None else ran.date() + dt.timedelta(days_to_next_round)
    programme = ProgrammeFactory(next_round_on=nxt, followup_days=followup_days)
    ada = UserFactory()
    match = make_match(done_round(programme, finished_at=ran), ada, UserFactory())
    client = Client()
    client.force_login(ada)
    form = client.get(reverse("feedback:evaluate_own", args=[match.pk])).content.decode()
    # The match page gives the date beside "Change your answers", once there are answers.
    Evaluation.objects.create(match=match, user=ada, met=Met.YES, usefulness=4)
    page = client.get(reverse("pairing:match_detail", args=[match.pk])).content.decode()
    return ran, programme, match, form, page


def _day(when: dt.date | dt.datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def test_a_planned_next_round_is_named_as_what_closes_the_feedback():
    ran, programme, match, form, page = _pages(days_to_next_round=28)

    until = f"until the next round runs, planned for {_day(programme.next_round_on)}"
    assert f"You can change your answers {until}." in form
    assert f"({until})" in page  # one pair of brackets on the match page (walk 29)
    assert "((" not in page and "))" not in page
    assert _day(timezone.localtime(ran + dt.timedelta(weeks=8))) not in form  # nor 8 weeks

    # And it does close then: once that round has run, the form no longer takes answers.
    runs = timezone.make_aware(dt.datetime.combine(programme.next_round_on, dt.time(6)))
    Programme.objects.filter(pk=programme.pk).update(next_round_on=None)
    done_round(programme, finished_at=runs)
    assert evaluation_is_open(match=match, now=runs - dt.timedelta(hours=1))
    assert not evaluation_is_open(match=match, now=runs + dt.timedelta(minutes=1))


def test_without_a_next_round_the_eight_weeks_are_the_date():
    ran, _programme, _match, form, page = _pages(days_to_next_round=None)

    closes = timezone.localtime(ran + dt.timedelta(weeks=8))
    assert f"You can change your answers until {_day(closes)}." in form
    assert f"(until {_day(closes)})" in page


def test_a_next_round_after_the_eight_weeks_does_not_change_the_date():
    ran, _programme, _match, form, _page = _pages(days_to_next_round=70)

    closes = timezone.localtime(ran + dt.timedelta(weeks=8))
    assert f"You can change your answers until {_day(closes)}." in form


def test_a_next_round_too_soon_leaves_the_two_weeks_after_the_ask():
    """A weekly programme: feedback stays open two weeks after the "did you meet?" email,
    whatever runs meanwhile, and the form gives that date."""
    ran, _programme, _match, form, _page = _pages(days_to_next_round=7, followup_days=7)

    closes = timezone.localtime(ran + dt.timedelta(days=21))
    assert f"You can change your answers until {_day(closes)}." in form
