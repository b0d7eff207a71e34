"""The dashboard says, beside each introduction, whether the member has told us how it
went: a link to the form while it is open and unanswered (or answered "not yet"), "You
told us how it went." once answered, nothing once feedback has closed unanswered; and
nothing for a learning set, which checks in per session instead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Evaluation
from members.models import User
from pairing.models import Programme, Round
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.pairing.test_walk14_dashboard import _match
from tests.pairing.test_walk14_dashboard import _ran as ran_on

pytestmark = pytest.mark.django_db


def _ran(programme: Programme, number: int, days_ago: int) -> Round:
    return ran_on(programme, number, timezone.localdate() - dt.timedelta(days=days_ago))


def _dashboard(client, user: User) -> str:
    client.force_login(user)
    return client.get(reverse("members:dashboard")).content.decode()


@pytest.fixture
def pair():
    programme = ProgrammeFactory(name="Coffee North", kind="coffee", next_round_on=None)
    me, partner = UserFactory(), UserFactory()
    for user in (me, partner):
        MembershipFactory(user=user, programme=programme)
    return programme, me, partner


def test_an_unanswered_introduction_links_to_its_form(client, pair):
    programme, me, partner = pair
    match = _match(_ran(programme, 1, days_ago=3), me, partner)

    page = _dashboard(client, me)

    form = reverse("feedback:evaluate_own", args=[match.pk])
    assert f'<a href="{form}">Tell us how it went' in page
    assert "(Coffee North, round 1)" in page  # the link's name says which introduction
    assert "You told us how it went." not in page


def test_an_answered_introduction_says_so_without_the_link(client, pair):
    programme, me, partner = pair
    match = _match(_ran(programme, 1, days_ago=3), me, partner)
    Evaluation.objects.create(match=match, user=me, met="yes", usefulness=4)
    # The partner's answer is theirs: it does not count as mine.
    Evaluation.objects.create(match=match, user=partner, met="no")

    page = _dashboard(client, me)

    assert "You told us how it went." in page
    assert reverse("feedback:evaluate_own", args=[match.pk]) not in page
    assert "not met yet" not in page


def test_not_met_yet_keeps_the_link_and_says_what_they_told_us(client, pair):
    programme, me, partner = pair
    match = _match(_ran(programme, 1, days_ago=3), me, partner)
    Evaluation.objects.create(match=match, user=me, met="not_yet")

    page = _dashboard(client, me)

    assert reverse("feedback:evaluate_own", args=[match.pk]) in page
    assert "(you told us you had not met yet)" in page


def test_nothing_is_asked_once_feedback_has_closed(client, pair):
    programme, me, partner = pair
    old = _match(_ran(programme, 1, days_ago=120), me, partner)  # 8 weeks have passed
    answered = _match(_ran(programme, 2, days_ago=100), me, UserFactory())
    Evaluation.objects.create(match=answered, user=me, met="yes", usefulness=5)

    page = _dashboard(client, me)

    assert reverse("feedback:evaluate_own", args=[old.pk]) not in page
    assert "Tell us how it went" not in page
    assert "You told us how it went." in page  # what they did tell us still shows


def test_a_learning_set_is_not_asked_how_the_introduction_went(client):
    programme = ProgrammeFactory(kind="learning_set", group_size=4, next_round_on=None)
    me = UserFactory()
    MembershipFactory(user=me, programme=programme)
    _match(_ran(programme, 1, days_ago=3), me, UserFactory(), UserFactory(), UserFactory())

    page = _dashboard(client, me)

    assert "Tell us how it went" not in page
    assert "You told us how it went." not in page
