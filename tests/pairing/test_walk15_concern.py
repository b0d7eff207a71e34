"""Walk 15: after reporting a concern, the match page tells the reporter (and only the
reporter) that they did, and when, and its form adds to the concern. Never the concern's
text or the organisers' triage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from pairing.models import Concern, Match, MatchMember, Programme, Round
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRACE = "You reported a concern on 6 December 2026."


def _match(programme: Programme, *users) -> Match:
    pairing_round = Round.objects.create(
        programme=programme,
        number=1,
        scheduled_for=dt.date(2026, 11, 2),
        status="done",
        seed=1,
    )
    match = Match.objects.create(pairing_round=pairing_round)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


@pytest.fixture
def match(programme, member, other_member) -> Match:
    return _match(programme, member, other_member)


def _detail(match: Match) -> str:
    return reverse("pairing:match_detail", args=[match.pk])


def _concern(match: Match) -> str:
    return reverse("pairing:match_concern", args=[match.pk])


def _report(client, match: Match, text: str, on: dt.datetime) -> None:
    client.post(_concern(match), {"text": text})
    Concern.objects.filter(text=text).update(created_at=on)


def test_reporter_sees_on_a_later_visit_that_they_reported_a_concern_and_when(member_client, match):
    _report(
        member_client, match, "They were rude to me.", dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    )

    html = member_client.get(_detail(match)).content.decode()

    assert f"{TRACE} The organisers have it and may contact you by email" in html
    assert "you can add to it below" in html
    assert "Add to my concern" in html
    assert "What would you like to add?" in html


def test_reporters_trace_never_shows_the_concern_text_or_the_organisers_triage(
    member_client, match, organiser
):
    _report(
        member_client, match, "They were rude to me.", dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    )
    Concern.objects.update(
        status="in_progress", handler=organiser, notes="Spoke to Grace; warned her."
    )

    pages = member_client.get(_detail(match)).content.decode()
    pages += member_client.get(_concern(match)).content.decode()

    assert TRACE in pages
    assert "They were rude to me." not in pages
    assert "warned her" not in pages
    assert "Olive Organiser" not in pages
    assert "progress" not in pages.lower()


def test_reporter_sees_the_date_in_their_own_time_zone(member_client, member, match):
    member.profile.time_zone = "Pacific/Auckland"
    member.profile.save()

    _report(member_client, match, "Late at night.", dt.datetime(2026, 12, 6, 23, tzinfo=dt.UTC))

    html = member_client.get(_detail(match)).content.decode()
    assert "You reported a concern on 7 December 2026." in html


def test_reporter_who_added_later_sees_both_dates(member_client, match):
    _report(member_client, match, "First.", dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC))
    _report(member_client, match, "More.", dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC))

    html = member_client.get(_detail(match)).content.decode()

    assert (
        "You reported a concern on 6 December 2026 and last added to it on 9 December 2026." in html
    )


def test_a_second_report_is_thanked_as_an_addition(member_client, match):
    member_client.post(_concern(match), {"text": "They were rude to me."})

    response = member_client.post(_concern(match), {"text": "And late."}, follow=True)

    html = response.content.decode()
    assert "Thank you. What you added has been sent to the organisers" in html
    assert Concern.objects.count() == 2


def test_an_empty_addition_is_refused_in_the_words_of_adding(member_client, match):
    member_client.post(_concern(match), {"text": "They were rude to me."})

    html = member_client.post(_concern(match), {"text": "  "}).content.decode()

    assert "<h1>Add to your concern</h1>" in html
    assert "Write what you would like to add for the organisers." in html
    assert "You reported a concern on" in html


def test_a_member_who_has_not_reported_sees_no_trace(member_client, match):
    html = member_client.get(_detail(match)).content.decode()

    assert "You reported a concern" not in html
    assert "Report a concern to the organisers" in html
    assert "What would you like the organisers to know?" in html


def test_partner_in_the_same_match_is_not_told_a_concern_exists(member_client, other_client, match):
    _report(
        member_client, match, "They were rude to me.", dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    )

    html = other_client.get(_detail(match)).content.decode()

    assert "reported a concern" not in html
    assert "Add to my concern" not in html
    assert "What would you like the organisers to know?" in html
    assert "They were rude to me." not in html


def test_partner_who_reports_their_own_concern_sees_only_their_own_date(
    member_client, other_client, match
):
    _report(member_client, match, "Mine.", dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC))
    _report(other_client, match, "Theirs.", dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC))

    html = other_client.get(_detail(match)).content.decode()

    assert "You reported a concern on 9 December 2026." in html
    assert "6 December 2026" not in html


def test_another_member_still_gets_a_404_for_the_match(member_client, match, programme):
    _report(
        member_client, match, "They were rude to me.", dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    )
    stranger = UserFactory(profile__display_name="Sam Stranger")
    client = Client()
    client.force_login(stranger)

    assert client.get(_detail(match)).status_code == 404
    assert client.get(_concern(match)).status_code == 404
