from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pairing.models import Membership, MembershipStatus
from pairing.services import MembershipError, membership_pause, memberships_resume_due
from tests.factories import MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _detail(programme):
    return reverse("pairing:programme_detail", args=[programme.slug])


def test_member_joins_an_open_programme(member_client, member, programme):
    response = member_client.post(_detail(programme))

    assert response.status_code == 302
    membership = Membership.objects.get(user=member, programme=programme)
    assert membership.status == MembershipStatus.ACTIVE


def test_anonymous_join_is_sent_to_log_in_and_enrols_nobody(client, programme):
    response = client.post(_detail(programme))

    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert not Membership.objects.exists()


def test_closed_programme_cannot_be_joined(member_client, member):
    closed = ProgrammeFactory(signup_open=False)

    member_client.post(_detail(closed))

    assert not Membership.objects.filter(user=member).exists()


def test_mentoring_programme_asks_offer_or_seek(member_client, member):
    mentoring = ProgrammeFactory(kind="mentoring")

    refused = member_client.post(_detail(mentoring))
    member_client.post(_detail(mentoring), {"mentoring_role": "seek"})

    assert "Say whether you offer mentoring or seek a mentor." in refused.content.decode()
    assert Membership.objects.get(user=member, programme=mentoring).mentoring_role == "seek"


def test_mentoring_role_must_be_a_real_choice(member_client, member):
    mentoring = ProgrammeFactory(kind="mentoring")

    response = member_client.post(_detail(mentoring), {"mentoring_role": "boss"})

    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=member).exists()


def test_learning_set_ground_rules_must_be_accepted(member_client, member):
    learning_set = ProgrammeFactory(
        kind="learning_set", group_size=5, ground_rules="What is said in the set stays in the set."
    )

    refused = member_client.post(_detail(learning_set))
    member_client.post(_detail(learning_set), {"accept_ground_rules": "on"})

    assert "Please accept the ground rules to join." in refused.content.decode()
    assert Membership.objects.get(user=member).ground_rules_accepted_at is not None


def test_leave_then_rejoin(member_client, member, programme):
    membership = MembershipFactory(user=member, programme=programme)

    member_client.post(reverse("pairing:membership_leave", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT
    member_client.post(_detail(programme))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_the_leave_page_after_leaving_says_so_and_offers_to_rejoin(
    member_client, member, programme
):
    membership = MembershipFactory(user=member, programme=programme)
    url = reverse("pairing:membership_leave", args=[membership.pk])
    member_client.post(url)

    page = member_client.get(url).content.decode()

    assert f"You have left {programme.name}" in page
    assert f"Leave {programme.name}?" not in page
    assert "Leave the programme" not in page
    assert f'href="{_detail(programme)}"' in page and f"Rejoin {programme.name}" in page


def test_leaving_again_from_an_old_tab_keeps_the_day_they_left(member_client, member, programme):
    membership = MembershipFactory(user=member, programme=programme)
    url = reverse("pairing:membership_leave", args=[membership.pk])
    member_client.post(url)
    membership.refresh_from_db()
    left_at = membership.left_at

    response = member_client.post(url, follow=True)

    membership.refresh_from_db()
    assert membership.left_at == left_at
    assert f"You have left {programme.name}" in response.content.decode()


def test_the_leave_page_of_a_closed_programme_says_it_cannot_be_rejoined_now(member_client, member):
    closed = ProgrammeFactory(signup_open=False)
    membership = MembershipFactory(user=member, programme=closed, status=MembershipStatus.LEFT)

    page = member_client.get(
        reverse("pairing:membership_leave", args=[membership.pk])
    ).content.decode()

    assert "cannot be rejoined for now" in page and "Rejoin" not in page


def test_pause_until_a_date(member_client, member, programme):
    membership = MembershipFactory(user=member, programme=programme)
    until = timezone.localdate() + dt.timedelta(days=30)

    response = member_client.post(
        reverse("pairing:membership_pause", args=[membership.pk]), {"until": until.isoformat()}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PAUSED
    assert membership.paused_until == until
    dashboard = member_client.get(reverse("members:dashboard")).content.decode()
    assert f"Paused until {until.day} {until:%B %Y}" in dashboard


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose the date your pause ends: you are included again from it."),
        ("yesterday", "Enter a date such as"),
        ("2020-01-01", "Choose a date after today."),
        ((timezone.localdate() + dt.timedelta(days=400)).isoformat(), "up to a year"),
    ],
)
def test_bad_pause_dates_are_refused_with_a_message(
    member_client, member, programme, value, message
):
    membership = MembershipFactory(user=member, programme=programme)

    response = member_client.post(
        reverse("pairing:membership_pause", args=[membership.pk]), {"until": value}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    if value:
        assert f'value="{value}"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_pause_ends_by_itself_on_its_date(member, programme):
    today = dt.date(2026, 11, 23)
    membership = MembershipFactory(user=member, programme=programme)
    membership_pause(membership=membership, until=dt.date(2026, 12, 1), today=today)

    assert membership.effective_status(dt.date(2026, 11, 30)) == MembershipStatus.PAUSED
    assert membership.effective_status(dt.date(2026, 12, 1)) == MembershipStatus.ACTIVE
    assert memberships_resume_due(today=dt.date(2026, 12, 1)) == 1
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_pause_in_the_past_is_refused_by_the_service(member, programme):
    membership = MembershipFactory(user=member, programme=programme)

    with pytest.raises(MembershipError):
        membership_pause(membership=membership, until=dt.date(2000, 1, 1))


def test_resume_now(member_client, member, programme):
    membership = MembershipFactory(
        user=member,
        programme=programme,
        status="paused",
        paused_until=timezone.localdate() + dt.timedelta(days=9),
    )

    member_client.post(reverse("pairing:membership_resume", args=[membership.pk]))

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_skip_next_round_and_undo(member_client, member, programme):
    membership = MembershipFactory(user=member, programme=programme)
    url = reverse("pairing:membership_skip", args=[membership.pk])

    member_client.post(url, {"skip": "1"})
    membership.refresh_from_db()
    assert membership.skip_next_round
    member_client.post(url, {"skip": "0"})
    membership.refresh_from_db()
    assert not membership.skip_next_round


def test_programme_list_shows_open_programmes_only(client, programme):
    ProgrammeFactory(name="Secret closed", signup_open=False)

    body = client.get(reverse("pairing:programme_list")).content.decode()

    assert "North West coffee" in body
    assert "Secret closed" not in body


def test_nobody_is_enrolled_by_viewing_pages(member_client, member, programme):
    member_client.get(_detail(programme))
    member_client.get(reverse("pairing:programme_list"))
    member_client.get(reverse("members:dashboard"))

    assert not Membership.objects.filter(user=member).exists()


def test_dashboard_after_leaving_the_only_programme_asks_to_join_one(
    member_client, member, programme
):
    from pairing.services import membership_leave

    membership_leave(membership=MembershipFactory(user=member, programme=programme))

    dashboard = member_client.get(reverse("members:dashboard")).content.decode()

    assert "Join a programme to be matched." in dashboard
    assert "Your profile has everything we need to introduce you." not in dashboard
    assert "You have not joined a programme yet." not in dashboard
    left = re.sub(r"<[^>]+>", "", re.search(r'id="left-programmes">(.*?)</p>', dashboard).group(1))
    today = timezone.localdate()
    assert left == (
        f"You are not in any programme now. You left {programme.name} on"
        f" {today.day} {today:%B %Y}: you can join again from its page."
    )


def test_a_member_with_an_unfinished_profile_is_told_they_will_not_be_matched(client, programme):
    """They may join (and stay a member), but the programme page says nobody is matched
    until the profile is complete, before and after joining."""
    from tests.factories import UserFactory

    user = UserFactory(profile__sector="", profile__interests=[])
    client.force_login(user)
    url = reverse("pairing:programme_detail", args=[programme.slug])

    before = client.get(url).content.decode()
    client.post(url, {"accept_ground_rules": "on"})
    after = client.get(url).content.decode()

    for page in (before, after):
        assert "Your profile is not complete yet, so you will not be matched." in page
    assert "You are a member of this programme." in after


def test_complete_my_profile_on_a_programme_page_comes_back_to_it(client, programme):
    from tests.factories import InterestFactory, UserFactory
    from tests.members.test_profile import STEP1, STEP2

    client.force_login(UserFactory(profile__sector=""))
    url = reverse("pairing:programme_detail", args=[programme.slug])
    page = client.get(url).content.decode()
    link = re.search(r'<a href="([^"]+)">Complete my profile</a>', page).group(1)

    saved = client.post(link, {**STEP1, **STEP2, "interests": [InterestFactory().pk]})

    assert saved.url == url


@pytest.mark.parametrize(
    ("pause_days", "skip", "says"),
    [
        (30, False, "(you are paused then, so you will sit it out)"),
        (5, False, ""),  # back before the round
        (None, True, "(you will sit it out)"),
        (None, False, ""),
    ],
)
def test_the_dashboard_says_whether_the_next_round_goes_ahead_without_them(
    member_client, member, programme, pause_days, skip, says
):
    today = timezone.localdate()
    programme.next_round_on = today + dt.timedelta(days=10)
    programme.save()
    membership = MembershipFactory(user=member, programme=programme, skip_next_round=skip)
    if pause_days:
        membership.status = MembershipStatus.PAUSED
        membership.paused_until = today + dt.timedelta(days=pause_days)
        membership.save()

    page = member_client.get(reverse("members:dashboard")).content.decode()

    line = re.search(rf'id="next-{programme.slug}">([^<]*)<', page).group(1)
    day = programme.next_round_on
    assert line == f"Next round: {day.day} {day:%B %Y}" + (f" {says}" if says else "")


@pytest.mark.parametrize(("kind", "word"), [("coffee", "round"), ("learning_set", "cycle")])
def test_skipping_says_round_or_cycle_as_the_programme_forms_them(
    member_client, member, kind, word
):
    programme = ProgrammeFactory(kind=kind, name="Sets and coffee", group_size=5)
    membership = MembershipFactory(user=member, programme=programme)

    response = member_client.post(
        reverse("pairing:membership_skip", args=[membership.pk]), {"skip": "1"}, follow=True
    )

    page = response.content.decode()
    assert f"You will sit out the next {word} of Sets and coffee." in page
    assert f"Sitting out the next {word}</span>" in page


def test_a_programme_card_says_an_unfinished_profile_is_not_matched(client, programme):
    from tests.factories import UserFactory

    user = UserFactory(profile__sector="", profile__interests=[])
    MembershipFactory(user=user, programme=programme)
    client.force_login(user)

    page = client.get(reverse("members:dashboard")).content.decode()

    card = page[page.index(f'id="membership-{programme.slug}"') :]
    assert "Not matched until your profile is complete" in card[: card.index("</article>")]


def test_complete_my_profile_leads_a_member_new_to_it_through_the_wizard(client, programme):
    # Walk 39: signed up from an invitation, a new member landed on the programme page
    # and its "Complete my profile" opened the long profile page, not the wizard every
    # other new member goes through (which ends back on this programme's page).
    from tests.factories import UserFactory

    client.force_login(UserFactory(profile__sector="", profile__wizard_done_at=None))
    url = reverse("pairing:programme_detail", args=[programme.slug])

    page = client.get(url).content.decode()

    link = re.search(r'<a href="([^"]+)">Complete my profile</a>', page).group(1)
    assert link == reverse("members:wizard", args=["about"])
