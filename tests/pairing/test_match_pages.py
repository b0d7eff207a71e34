"""A member's own matches: detail, "don't pair me again", report a concern, dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairing.models import Block, Concern, Match, MatchMember, Programme, Round
from pairing.selectors import matches_for_member
from tests.factories import InterestFactory, UserFactory

pytestmark = pytest.mark.django_db


def _round(programme: Programme, number: int) -> Round:
    return Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=dt.date(2026, 1, 1) + dt.timedelta(days=28 * number),
        status="done",
        seed=number,
    )


def _match(pairing_round: Round, *users, **fields) -> Match:
    match = Match.objects.create(pairing_round=pairing_round, **fields)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


@pytest.fixture
def match(programme, member, other_member) -> Match:
    return _match(
        _round(programme, 1),
        member,
        other_member,
        shared_interests=["Systematic searching", "Open access"],
        host=other_member,
    )


def _detail(match: Match) -> str:
    return reverse("pairing:match_detail", args=[match.pk])


def _block(match: Match) -> str:
    return reverse("pairing:match_block", args=[match.pk])


def _concern(match: Match) -> str:
    return reverse("pairing:match_concern", args=[match.pk])


def _without_tokens(html: str) -> str:
    # CSRF tokens and CSP nonces change on every request; everything else must not.
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', "", html)


# Detail page


def test_a_trio_page_says_who_listed_a_topic_not_everyone_shares(
    member_client, member, other_member, programme
):
    access, archives = InterestFactory(name="Accessibility"), InterestFactory(name="Archives")
    member.profile.interests.set([access, archives])
    other_member.profile.interests.set([access])
    tim = UserFactory(profile__display_name="Tim Cole", profile__interests=[access, archives])
    trio = _match(
        _round(programme, 1), member, other_member, tim,
        shared_interests=["Accessibility", "Archives"],
    )  # fmt: skip

    html = member_client.get(_detail(trio)).content.decode()

    assert "You all listed accessibility." in html
    assert "You and Tim Cole both listed archives." in html
    assert "You all listed accessibility and archives" not in html


def test_member_sees_partners_shared_details(member_client, other_member, match):
    profile = other_member.profile
    profile.pronouns = "she/her"
    profile.access_notes = "I prefer captions on."
    profile.save()

    html = member_client.get(_detail(match)).content.decode()

    assert "Grace Hopper" in html and "(she/her)" in html
    assert "Clinical librarian" in html and "Health / NHS" in html
    assert "North West England" in html and "Librarian / information professional" in html
    assert "I run a one-person hospital library." in html
    assert "I prefer captions on." in html
    assert "systematic searching" in html and "open access" in html
    assert "<strong>Grace Hopper</strong> is the host this time" in html
    assert html.count("<h1") == 1


def test_detail_never_shows_partners_email(member_client, match):
    html = member_client.get(_detail(match)).content.decode()

    assert "grace@example.org" not in html


def test_detail_says_how_to_reach_the_partner(member_client, match):
    """Walk 32: the page asked the host to propose a time and gave no way to reach the
    partner. Their address stays off the page; the introduction email is the way."""
    html = " ".join(member_client.get(_detail(match)).content.decode().split())
    day = f"{match.pairing_round.held_on:%-d %B}"

    assert (
        f"To reach each other, reply to your introduction email of {day}: it went to you "
        "both, and so does a reply." in html
    )


def test_organisation_hidden_unless_partner_allowed_it(member_client, other_member, match):
    other_member.profile.organisation = "Royal Infirmary Library"
    other_member.profile.save()

    hidden = member_client.get(_detail(match)).content.decode()
    other_member.profile.show_organisation = True
    other_member.profile.save()
    shown = member_client.get(_detail(match)).content.decode()

    assert "Royal Infirmary Library" not in hidden
    assert "Royal Infirmary Library" in shown


def test_host_sees_they_are_the_host(other_client, match):
    html = other_client.get(_detail(match)).content.decode()

    assert "You are the host this time" in html


def test_suggested_time_is_shown_in_the_viewers_time_zone(member_client, member, match):
    match.suggested_start = dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.UTC)
    match.save()
    member.profile.time_zone = "America/New_York"
    member.profile.save()

    html = member_client.get(_detail(match)).content.decode()

    assert "Tuesday 3 March 2026, 10:00" in html
    assert "America/New_York" in html


def test_deleted_partner_shows_as_a_former_member(member_client, other_member, match):
    other_member.delete()

    html = member_client.get(_detail(match)).content.decode()

    assert "A former member" in html
    assert "Grace Hopper" not in html


# Access


@pytest.mark.parametrize(
    ("url", "method"), [(_detail, "get"), (_block, "post"), (_concern, "get"), (_concern, "post")]
)
def test_member_not_in_the_match_gets_404(client, match, url, method):
    outsider = UserFactory(profile__display_name="Olga Outsider")
    client.force_login(outsider)

    response = getattr(client, method)(url(match), {"partner": match.host_id, "text": "Hi"})

    assert response.status_code == 404
    assert not Block.objects.exists() and not Concern.objects.exists()


@pytest.mark.parametrize(
    ("url", "method"), [(_detail, "get"), (_block, "post"), (_concern, "get"), (_concern, "post")]
)
def test_anonymous_is_sent_to_log_in(client, match, url, method):
    response = getattr(client, method)(url(match), {"partner": match.host_id, "text": "Hi"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_missing_match_is_404(member_client):
    assert member_client.get(reverse("pairing:match_detail", args=[999])).status_code == 404


# Don't pair me with this person again


def test_detail_offers_a_descriptive_block_button_per_partner(member_client, match):
    html = member_client.get(_detail(match)).content.decode()

    assert "Don't match me with Grace Hopper again" in html


def test_block_creates_a_confidential_block_and_says_partner_is_not_told(
    member_client, member, other_member, match
):
    response = member_client.post(_block(match), {"partner": other_member.pk}, follow=True)

    assert Block.objects.filter(user=member, blocked=other_member).count() == 1
    html = response.content.decode()
    assert "We will not pair you with Grace Hopper again. They will not be told." in html
    assert "You asked us not to pair you with Grace Hopper again" in html


def test_block_twice_keeps_one_block(member_client, member, other_member, match):
    member_client.post(_block(match), {"partner": other_member.pk})
    response = member_client.post(_block(match), {"partner": other_member.pk})

    assert response.status_code == 302
    assert Block.objects.filter(user=member, blocked=other_member).count() == 1


def test_blocked_partner_sees_nothing_of_the_block(
    member_client, other_client, other_member, match
):
    detail_before = _without_tokens(other_client.get(_detail(match)).content.decode())
    dashboard_before = _without_tokens(
        other_client.get(reverse("members:dashboard")).content.decode()
    )

    member_client.post(_block(match), {"partner": other_member.pk})

    assert _without_tokens(other_client.get(_detail(match)).content.decode()) == detail_before
    assert (
        _without_tokens(other_client.get(reverse("members:dashboard")).content.decode())
        == dashboard_before
    )
    assert len(mail.outbox) == 0


def test_a_block_can_be_undone_from_the_same_page_and_only_by_the_member_who_made_it(
    member_client, other_client, member, other_member, match
):
    # A walk: one click blocked, with no way back.
    member_client.post(_block(match), {"partner": other_member.pk})
    unblock = reverse("pairing:match_unblock", args=[match.pk])
    assert "Undo: Grace Hopper may be paired with me again" in (
        member_client.get(_detail(match)).content.decode()
    )

    # Grace cannot lift Ada's block (she does not know of it): nothing of hers to undo.
    other_client.post(unblock, {"partner": member.pk})
    assert Block.objects.filter(user=member, blocked=other_member).exists()
    response = member_client.post(unblock, {"partner": other_member.pk}, follow=True)

    assert not Block.objects.exists()
    html = response.content.decode()
    assert "You may be paired with Grace Hopper again. They were never told." in html
    assert "Don't match me with Grace Hopper again" in html
    assert len(mail.outbox) == 0
    stranger = UserFactory()
    assert member_client.post(unblock, {"partner": stranger.pk}).status_code == 404


def test_blocking_someone_not_in_the_match_is_404(member_client, member, match):
    stranger = UserFactory()

    response = member_client.post(_block(match), {"partner": stranger.pk})

    assert response.status_code == 404
    assert not Block.objects.exists()


@pytest.mark.parametrize("partner", ["", "abc", "self"])
def test_blocking_myself_or_nonsense_is_404(member_client, member, match, partner):
    value = member.pk if partner == "self" else partner

    response = member_client.post(_block(match), {"partner": value})

    assert response.status_code == 404
    assert not Block.objects.exists()


def test_block_opened_as_a_link_changes_nothing_and_returns_to_the_match(member_client, match):
    # A GET (the address opened again after logging in) is not a block: back to the page.
    response = member_client.get(_block(match), follow=True)

    assert response.redirect_chain[-1][0] == reverse("pairing:match_detail", args=[match.pk])
    assert "Nothing was changed" in response.content.decode()
    assert not Block.objects.exists()
    assert member_client.put(_block(match)).status_code == 405


def test_another_members_block_link_is_still_404(client, match):
    outsider = UserFactory()
    client.force_login(outsider)

    assert client.get(_block(match), follow=True).status_code == 404


# Report a concern


def test_concern_page_has_a_labelled_field(member_client, match):
    html = member_client.get(_concern(match)).content.decode()

    assert '<label for="id_text"' in html
    assert html.count("<h1") == 1


def test_empty_concern_is_refused_with_a_clear_message(member_client, match):
    response = member_client.post(_concern(match), {"text": "   "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Tell the organisers what happened." in html
    assert not Concern.objects.exists()


def test_too_long_concern_is_refused_and_keeps_the_typed_text(member_client, match):
    text = "x" * 1990 + " the end " + "y" * 10

    response = member_client.post(_concern(match), {"text": text})

    html = response.content.decode()
    assert "Keep your message to 2,000 characters or fewer (it has 2,009)." in html
    assert text in html
    assert not Concern.objects.exists()
    assert len(mail.outbox) == 0


def test_valid_concern_is_saved_and_emailed_to_organisers(
    member_client, member, match, organiser, settings
):
    settings.ORGANISERS_EMAIL = "team@example.org"
    match.pairing_round.programme.organisers.add(organiser)

    response = member_client.post(_concern(match), {"text": "They were rude to me."}, follow=True)

    concern = Concern.objects.get()
    assert (concern.reporter, concern.match, concern.text) == (
        member,
        match,
        "They were rude to me.",
    )
    assert "Your concern has been sent to the organisers" in response.content.decode()
    [email] = mail.outbox
    assert sorted(email.to) == ["org@example.org", "team@example.org"]
    assert "They were rude to me." in email.body
    admin_path = reverse("admin:pairing_concern_change", args=[concern.pk])
    assert f"{settings.SITE_URL}{admin_path}" in email.body


def test_concern_is_not_sent_to_the_partner(member_client, match, settings):
    settings.ORGANISERS_EMAIL = "team@example.org"

    member_client.post(_concern(match), {"text": "Something felt wrong."})

    assert "grace@example.org" not in mail.outbox[0].to


# Dashboard


def test_dashboard_says_no_introductions_yet(member_client):
    html = member_client.get(reverse("members:dashboard")).content.decode()

    assert "My introductions" in html
    assert "No introductions yet" in html


def test_dashboard_lists_current_and_past_introductions(member_client, member, programme):
    old_partner = UserFactory(profile__display_name="Katherine Johnson")
    new_partner = UserFactory(profile__display_name="Dorothy Vaughan")
    past = _match(_round(programme, 1), member, old_partner)
    current = _match(_round(programme, 2), member, new_partner)

    html = member_client.get(reverse("members:dashboard")).content.decode()

    current_section, past_section = html.split("Past introductions")
    assert "Dorothy Vaughan" in current_section and "Katherine Johnson" not in current_section
    assert "Katherine Johnson" in past_section
    assert _detail(current) in current_section and _detail(past) in past_section
    assert "No introductions yet" not in html


def test_matches_for_member_marks_latest_round_of_each_programme_current(member, programme):
    other_programme = Programme.objects.create(name="Search review")
    partner = UserFactory()
    past = _match(_round(programme, 1), member, partner)
    current = _match(_round(programme, 2), member, UserFactory())
    elsewhere = _match(_round(other_programme, 1), member, partner)
    _round(programme, 3).matches.create()  # a later round the member was not placed in
    _round(programme, 4)  # planned, no matches yet

    result = matches_for_member(user=member)

    assert [m.pk for m in result.current] == [elsewhere.pk]
    assert {m.pk for m in result.past} == {past.pk, current.pk}
    assert not any(m.is_current for m in result.past)


def test_matches_for_member_lists_newest_first_without_query_per_match(member, programme):
    matches = [_match(_round(programme, n), member, UserFactory()) for n in range(1, 6)]

    with CaptureQueriesContext(connection) as queries:
        result = matches_for_member(user=member)
        names = [p.display_name for m in result for p in m.partners]

    assert [m.pk for m in result] == [m.pk for m in reversed(matches)]
    assert len(names) == 5
    # The matches (with the member's answers), their seats, the rounds with matches, and
    # when each round's feedback closes.
    assert len(queries) == 4


def test_the_host_line_says_what_the_introduction_asks_of_the_host(member_client, match):
    # Walk 43: the email asked the host to "confirm the suggested time below, or propose
    # another", where the page said they "will propose a time to meet".
    without = member_client.get(_detail(match)).content.decode()
    match.suggested_start = dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.UTC)
    match.save()

    with_time = member_client.get(_detail(match)).content.decode()

    assert "is the host this time and will propose a time to meet." in without
    assert (
        "is the host this time and will confirm the suggested time below, or propose another."
    ) in with_time
