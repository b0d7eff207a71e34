"""The programme-kind seam: shared code asks the kind, and a kind's choices take effect."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from feedback.services import followups_send_due
from pairing import kinds, rounds
from pairing.kinds import KINDS, kind_of
from pairing.models import OutboxEmail, OutboxKind, ProgrammeKind, Round
from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def test_every_programme_kind_has_a_kind_module():
    assert set(KINDS) == set(ProgrammeKind.values)


@pytest.mark.parametrize(
    ("slug", "size", "ok"),
    [("coffee", 2, True), ("coffee", 3, False), ("mentoring", 2, True),
     ("mentoring", 4, False), ("learning_set", 5, True), ("learning_set", 3, False),
     ("search_review", 2, True)],
)  # fmt: skip
def test_each_kind_says_which_group_sizes_suit_it(slug, size, ok):
    assert (KINDS[slug].group_size_error(size) == "") is ok


def test_only_search_review_asks_for_a_press_review():
    asking = {slug for slug, kind in KINDS.items() if kind.review_headings}

    assert asking == {"search_review"}
    assert len(KINDS["search_review"].review_headings) == 6


def test_only_search_review_asks_for_work_by_a_date():
    programme = ProgrammeFactory(kind="search_review", strategy_due_days=3)
    pairing_round = Round(programme=programme, scheduled_for=dt.date(2026, 3, 2))

    assert kind_of(programme).share_due_on(pairing_round) == dt.date(2026, 3, 5)
    assert [slug for slug, kind in KINDS.items() if kind.shares_work] == ["search_review"]
    assert KINDS["coffee"].share_due_on(pairing_round) is None


def test_a_kind_without_notices_sends_none(monkeypatch):
    programme = ProgrammeFactory(next_round_on=NOW.date() + dt.timedelta(days=1))
    MembershipFactory(programme=programme)
    quiet = dataclasses.replace(KINDS["coffee"], emails=("intro", "left_out"))
    monkeypatch.setitem(kinds.KINDS, "coffee", quiet)

    assert rounds.notices_send_due(now=NOW) == 0
    assert kind_of(programme) is quiet


def test_a_kind_without_followups_gets_no_did_you_meet_email(monkeypatch):
    programme = ProgrammeFactory(followup_days=1)
    for _ in range(2):
        MembershipFactory(programme=programme)
    pairing_round = rounds.round_plan(programme=programme, scheduled_for=NOW.date())
    rounds.round_run(pairing_round=pairing_round, now=NOW)
    quiet = dataclasses.replace(KINDS["coffee"], emails=("intro", "left_out", "notice"))
    monkeypatch.setitem(kinds.KINDS, "coffee", quiet)

    queued = followups_send_due(now=NOW + dt.timedelta(days=3))

    assert queued == 0
    assert not OutboxEmail.objects.filter(kind=OutboxKind.FOLLOWUP).exists()


@pytest.mark.django_db
def test_the_programme_list_says_how_often_each_kind_meets(client):
    from django.urls import reverse

    from tests.factories import ProgrammeFactory

    ProgrammeFactory(name="Coffee", kind="coffee", cadence_days=28)
    ProgrammeFactory(name="Sets", kind="learning_set", group_size=5, cadence_days=70)

    body = client.get(reverse("pairing:programme_list")).content.decode()

    assert "Every four weeks" in body
    # A learning set's sessions follow its cycle: the cadence ("every ten weeks") would
    # contradict the description's session interval.
    # (Walk 39 found "Sessions through each cycle; new sets when a cycle ends" odd.)
    assert "Sets of 5 · A series of sessions each cycle" in body
    assert "Every ten weeks" not in body


def test_a_search_review_meeting_is_suggested_after_the_strategies_are_due():
    programme = ProgrammeFactory(kind="search_review", strategy_due_days=5)
    coffee = ProgrammeFactory(kind="coffee")
    for chosen in (programme, coffee):
        for _ in range(2):  # free every weekday morning (Europe/London)
            MembershipFactory(
                programme=chosen,
                user__profile__availability=[
                    f"{d}-morning" for d in ("mon", "tue", "wed", "thu", "fri")
                ],
                user__profile__time_zone="Europe/London",
            )
    for chosen in (programme, coffee):
        pairing_round = rounds.round_plan(programme=chosen, scheduled_for=NOW.date())
        rounds.round_run(pairing_round=pairing_round, now=NOW)

    review = Round.objects.get(programme=programme)
    (match,) = review.matches.all()
    due = kind_of(programme).share_due_on(review)
    # The strategies are due on 6 December; the pair meets to talk the reviews through.
    assert due == dt.date(2026, 12, 6)
    assert match.suggested_start == dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC)  # Tuesday
    # A coffee chat is suggested from the second day after the introduction (walk 43:
    # "tomorrow at 09:00" left the host no time to confirm it).
    (chat,) = Round.objects.get(programme=coffee).matches.all()
    assert chat.suggested_start == dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)


def test_a_weekly_programmes_suggested_time_is_never_after_the_next_round():
    # Walk 43: a suggested time after the next round had run. Run on Tuesday 1 December,
    # the next round on Tuesday 8 December: a pair free on Tuesdays gets the 8th; a pair
    # free on Wednesdays only gets no time (the host proposes one), not "tomorrow" nor
    # the 9th, after the next round.
    from pairing.models import Round

    found = {}
    for day in ("tue", "wed"):
        weekly = ProgrammeFactory(cadence_days=7, avoid_same_organisation=False)
        for _ in range(2):
            MembershipFactory(programme=weekly, user__profile__availability=[f"{day}-morning"],
                              user__profile__time_zone="Europe/London")  # fmt: skip
        pairing_round = rounds.round_plan(programme=weekly, scheduled_for=NOW.date())
        rounds.round_run(pairing_round=pairing_round, now=NOW)
        (chat,) = Round.objects.get(programme=weekly).matches.all()
        found[day] = chat.suggested_start

    assert found == {"tue": dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC), "wed": None}
