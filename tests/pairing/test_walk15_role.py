"""A member of a mentoring programme switches between offering and seeking mentoring
themselves, from the programme page or the dashboard; a round previewed before the
switch never pairs two mentees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pairing import rounds
from pairing.models import Match, Membership, MembershipStatus, Round, RoundStatus
from pairing.services import MembershipError, membership_change_role, membership_leave
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentoring():
    return ProgrammeFactory(kind="mentoring", name="New professionals mentoring")


@pytest.fixture
def mine(member, mentoring):
    return MembershipFactory(user=member, programme=mentoring, mentoring_role="offer")


def _role_url(membership) -> str:
    return reverse("pairing:membership_role", args=[membership.pk])


def test_member_switches_from_offering_to_seeking_and_is_told_when_it_applies(member_client, mine):
    response = member_client.post(_role_url(mine), {"mentoring_role": "seek"}, follow=True)

    mine.refresh_from_db()
    assert mine.mentoring_role == "seek"
    page = response.content.decode()
    assert (
        "Saved: you now seek a mentor in New professionals mentoring, from the next round. "
        "Introductions already made stay as they are." in page
    )


def test_role_page_has_the_two_choices_in_a_fieldset_with_a_legend_and_explains_the_change(
    member_client, mine
):
    page = member_client.get(_role_url(mine)).content.decode()

    assert "<fieldset" in page and "<legend" in page
    assert "In this programme I would like to" in page
    assert 'value="offer"' in page and "checked" in page
    assert "Seek a mentor" in page
    assert "A change applies from the next round" in page
    assert "Introductions already made stay as they are" in page


def test_a_paused_member_can_change_their_role(member_client, mine):
    mine.status = MembershipStatus.PAUSED
    mine.paused_until = timezone.localdate() + dt.timedelta(days=30)
    mine.save()

    member_client.post(_role_url(mine), {"mentoring_role": "seek"})

    mine.refresh_from_db()
    assert (mine.mentoring_role, mine.status) == ("seek", MembershipStatus.PAUSED)


def test_a_member_sitting_out_the_next_round_can_change_their_role(member_client, mine):
    mine.skip_next_round = True
    mine.save()

    member_client.post(_role_url(mine), {"mentoring_role": "seek"})

    mine.refresh_from_db()
    assert (mine.mentoring_role, mine.skip_next_round) == ("seek", True)


def test_a_member_who_left_cannot_change_their_role(member_client, mine):
    membership_leave(membership=mine)

    response = member_client.post(_role_url(mine), {"mentoring_role": "seek"})

    mine.refresh_from_db()
    assert mine.mentoring_role == "offer"
    assert "You have left New professionals mentoring" in response.content.decode()
    with pytest.raises(MembershipError, match="You have left this programme"):
        membership_change_role(membership=mine, mentoring_role="seek")


def test_another_members_membership_is_a_404(other_client, mine):
    response = other_client.post(_role_url(mine), {"mentoring_role": "seek"})

    mine.refresh_from_db()
    assert response.status_code == 404
    assert mine.mentoring_role == "offer"


def test_a_post_without_the_csrf_token_changes_nothing(member, mine):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(_role_url(mine), {"mentoring_role": "seek"})

    mine.refresh_from_db()
    assert response.status_code == 403
    assert mine.mentoring_role == "offer"


def test_a_missing_choice_is_explained_and_nothing_changes(member_client, mine):
    response = member_client.post(_role_url(mine), {})

    mine.refresh_from_db()
    assert mine.mentoring_role == "offer"
    assert "Say whether you offer mentoring or seek a mentor." in response.content.decode()


def test_a_choice_that_is_not_offer_or_seek_is_refused_with_a_clear_message(member_client, mine):
    response = member_client.post(_role_url(mine), {"mentoring_role": "boss"})

    mine.refresh_from_db()
    assert mine.mentoring_role == "offer"
    assert "Choose “Offer mentoring” or “Seek a mentor”." in response.content.decode()


def test_choosing_the_same_role_again_says_nothing_changed(member_client, mine):
    response = member_client.post(_role_url(mine), {"mentoring_role": "offer"}, follow=True)

    assert "Nothing changed: you already offer mentoring in" in response.content.decode()


def test_a_coffee_programme_has_no_role_page(member_client, member, programme):
    coffee = MembershipFactory(user=member, programme=programme)

    assert member_client.get(_role_url(coffee)).status_code == 404


def test_programme_page_and_dashboard_link_to_the_role_page(member_client, mine):
    detail = reverse("pairing:programme_detail", args=[mine.programme.slug])

    programme_page = member_client.get(detail).content.decode()
    dashboard = member_client.get(reverse("members:dashboard")).content.decode()

    assert "You offer mentoring in this programme." in programme_page
    assert _role_url(mine) in programme_page
    assert _role_url(mine) in dashboard
    assert "Change my mentoring role" in dashboard


def test_a_change_made_from_the_programme_page_returns_there(member_client, mine):
    detail = reverse("pairing:programme_detail", args=[mine.programme.slug])
    link = f"{_role_url(mine)}?from=programme"
    assert link in member_client.get(detail).content.decode()

    page = member_client.get(link).content.decode()
    response = member_client.post(link, {"mentoring_role": "seek"})

    assert f'href="{detail}">Cancel' in page
    assert response.status_code == 302 and response["Location"] == detail
    # From the dashboard, back to the dashboard.
    again = member_client.post(_role_url(mine), {"mentoring_role": "offer"})
    assert again["Location"] == f"{reverse('members:dashboard')}#membership-{mine.programme.slug}"


def _member(programme, name, role, experience):
    user = UserFactory(profile__display_name=name, profile__experience=experience)
    MembershipFactory(user=user, programme=programme, mentoring_role=role)
    return user


@pytest.fixture
def previewed(mentoring):
    people = {
        "Ada": _member(mentoring, "Ada Mentor", "offer", 3),
        "Bea": _member(mentoring, "Bea Mentor", "offer", 3),
        "Cal": _member(mentoring, "Cal Mentee", "seek", 1),
        "Dee": _member(mentoring, "Dee Mentee", "seek", 1),
    }
    pairing_round = rounds.round_plan(programme=mentoring, scheduled_for=timezone.localdate())
    rounds.round_preview(pairing_round=pairing_round, today=timezone.localdate())
    pairing_round.refresh_from_db()
    assert len(pairing_round.draft["groups"]) == 2
    return pairing_round, people


def _roles_by_match(pairing_round) -> list[list[str]]:
    return [
        sorted(seat.role for seat in match.members.all())
        for match in Match.objects.filter(pairing_round=pairing_round)
    ]


def test_a_mentor_who_switches_after_the_preview_is_never_paired_with_a_mentee_as_a_mentee(
    previewed,
):
    pairing_round, people = previewed
    ada = Membership.objects.get(user=people["Ada"])
    membership_change_role(membership=ada, mentoring_role="seek")

    done = rounds.round_run(pairing_round=pairing_round, now=timezone.now())

    assert done.status == RoundStatus.DONE
    assert _roles_by_match(done) == [["offer", "seek"]]


def test_a_run_confirmed_before_a_role_switch_stops_and_shows_the_groups_as_they_are_now(
    organiser_client, previewed
):
    pairing_round, people = previewed
    membership_change_role(
        membership=Membership.objects.get(user=people["Ada"]), mentoring_role="seek"
    )
    url = reverse("admin:pairing_round_preview", args=[pairing_round.pk])

    page = organiser_client.post(url, {"action": "run"}, follow=True).content.decode()

    assert Round.objects.get(pk=pairing_round.pk).status == RoundStatus.PLANNED
    assert not Match.objects.exists()
    assert "a group stopped meeting the matching rules (a changed profile or choice)" in page


def test_the_dashboard_badge_names_the_role_not_the_action(member_client, mine):
    # Walk 46: "Active · Offer mentoring" read as a button; the badge now says "Mentor".
    page = member_client.get(reverse("members:dashboard")).content.decode()
    mine.mentoring_role = "seek"
    mine.save()
    then = member_client.get(reverse("members:dashboard")).content.decode()

    assert '<span class="badge">Mentor</span>' in page
    assert '<span class="badge">Mentee</span>' in then
    assert '<span class="badge">Offer mentoring</span>' not in page
