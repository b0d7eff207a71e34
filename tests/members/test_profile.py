from __future__ import annotations

import re

import pytest
from django.urls import reverse

from members.models import Profile
from tests.factories import InterestFactory, MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
STEP1 = {
    "display_name": "Ada Lovelace",
    "pronouns": "she/her",
    "job_title": "Clinical librarian",
    "role_band": "professional",
    "sector": "health",
    "experience": "2",
    "organisation": "Trust A",
}
STEP2 = {
    "region": "north-west",
    "time_zone": "Europe/London",
    "meeting_format": "online",
    "availability": ["tue-morning", "thu-lunch"],
    "access_notes": "Captions on, please.",
}


@pytest.fixture
def new_member(db):
    user = UserFactory(
        email="new@example.org",
        profile__interests=[],
        profile__wizard_done_at=None,
        profile__sector="",
        profile__region="",
        profile__job_title="",
        profile__organisation="",
    )
    return user


@pytest.fixture
def new_client(client, new_member):
    client.force_login(new_member)
    return client


def test_wizard_walks_through_three_steps_and_completes_the_profile(new_client, new_member):
    topic = InterestFactory(name="Systematic searching")

    first = new_client.post(reverse("members:wizard", args=["about"]), STEP1)
    second = new_client.post(reverse("members:wizard", args=["meeting"]), STEP2)
    last = new_client.post(
        reverse("members:wizard", args=["interests"]),
        {"interests": [topic.pk], "about": "Solo hospital librarian."},
    )

    assert first.url == reverse("members:wizard", args=["meeting"])
    assert second.url == reverse("members:wizard", args=["interests"])
    assert last.url == reverse("pairing:programme_list")
    profile = Profile.objects.get(user=new_member)
    assert profile.complete
    assert profile.wizard_done_at is not None
    assert profile.availability == ["tue-morning", "thu-lunch"]
    assert list(profile.interests.all()) == [topic]


def test_wizard_step_shows_its_position(new_client):
    response = new_client.get(reverse("members:wizard", args=["meeting"]))

    assert b"Step 2 of 3" in response.content


def _checked_format(response) -> list[str]:
    return re.findall(r'name="meeting_format" value="(\w+)"[^>]*checked', response.content.decode())


def test_the_wizard_asks_how_to_meet_without_a_choice_made_for_the_member(new_client):
    """The first time, no meeting format is ticked ("Either" was, and was easy to miss):
    going on without one says what to do; once the step is saved, the answer shows."""
    meeting = reverse("members:wizard", args=["meeting"])

    assert _checked_format(new_client.get(meeting)) == []
    refused = new_client.post(meeting, {k: v for k, v in STEP2.items() if k != "meeting_format"})
    assert "Choose how you would like to meet: online, in person or either." in (
        refused.content.decode()
    )
    assert _checked_format(refused) == []
    new_client.post(meeting, STEP2)
    assert _checked_format(new_client.get(meeting)) == ["online"]


def test_the_wizard_asks_when_a_member_is_free_to_meet_not_only_for_a_chat(new_client):
    """One profile serves every programme: a learning set's member meets for three hours,
    so the question does not promise a 30-minute chat (walk 34)."""
    page = new_client.get(reverse("members:wizard", args=["meeting"])).content.decode()

    assert "When are you usually free to meet?" in page
    assert "30-minute" not in page


def test_completing_the_profile_from_its_page_asks_how_to_meet_too(new_client):
    """The dashboard's "Complete my profile" leads to the profile page, not the wizard."""
    edit = reverse("members:profile_edit")

    assert _checked_format(new_client.get(edit)) == []


def test_profile_edit_shows_the_saved_meeting_format(member_client, member):
    checked = _checked_format(member_client.get(reverse("members:profile_edit")))

    assert checked == [member.profile.meeting_format]


def test_unknown_wizard_step_is_404(new_client):
    assert new_client.get(reverse("members:wizard", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sector": "spaceships"}, "Choose one of the options given."),
        ({"role_band": ""}, "Choose the role closest to yours."),
        ({"display_name": "y" * 81}, "Keep this to at most 80 characters (it has 81)."),
        ({"experience": "9"}, "Choose one of the options given."),
    ],
)
def test_bad_wizard_input_keeps_what_was_typed(new_client, new_member, changes, message):
    response = new_client.post(reverse("members:wizard", args=["about"]), {**STEP1, **changes})

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "There is a problem" in body
    assert 'value="Clinical librarian"' in body
    assert 'value="Trust A"' in body
    assert Profile.objects.get(user=new_member).job_title != "Clinical librarian"


def test_wizard_requires_at_least_one_interest(new_client):
    response = new_client.post(
        reverse("members:wizard", args=["interests"]), {"about": "Hello there"}
    )

    assert "Pick at least one topic" in response.content.decode()
    assert "Hello there" in response.content.decode()


def test_about_me_longer_than_600_characters_is_refused(new_client):
    topic = InterestFactory()

    response = new_client.post(
        reverse("members:wizard", args=["interests"]), {"interests": [topic.pk], "about": "z" * 601}
    )

    assert "at most 600 characters" in response.content.decode()


def test_bad_time_zone_is_refused(new_client):
    response = new_client.post(
        reverse("members:wizard", args=["meeting"]), {**STEP2, "time_zone": "Mars/Olympus"}
    )

    assert "Choose a time zone from the list." in response.content.decode()


def test_dashboard_lists_what_is_missing_from_an_incomplete_profile(new_client):
    response = new_client.get(reverse("members:dashboard"))

    body = response.content.decode()
    assert "Your profile is not complete yet" in body
    assert "Sector" in body and "Region" in body and "Interests" in body


def test_dashboard_says_a_complete_profile_is_ready(member_client):
    response = member_client.get(reverse("members:dashboard"))

    assert b"Profile complete" in response.content


def test_profile_edit_saves_changes(member_client, member):
    topic = InterestFactory(name="Open access")
    data = {
        **STEP1,
        **STEP2,
        "interests": [topic.pk],
        "about": "New about",
        "job_title": "Head of library",
    }

    response = member_client.post(reverse("members:profile_edit"), data)

    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.job_title == "Head of library"
    assert member.profile.complete


def test_complete_my_profile_from_a_programme_page_goes_back_to_it(member_client, programme):
    topic = InterestFactory(name="Open access")
    back = reverse("pairing:programme_detail", args=[programme.slug])
    edit = f"{reverse('members:profile_edit')}?next={back}"
    page = member_client.get(edit).content.decode()

    response = member_client.post(edit, {**STEP1, **STEP2, "interests": [topic.pk]})

    assert f'<a class="button" href="{back}">Cancel</a>' in page
    assert response.url == back


def test_profile_edit_never_sends_the_member_to_another_site(member_client):
    topic = InterestFactory(name="Open access")
    edit = f"{reverse('members:profile_edit')}?next=https://evil.example/"

    response = member_client.post(edit, {**STEP1, **STEP2, "interests": [topic.pk]})

    assert response.url == reverse("members:dashboard")


def test_error_summary_link_for_interests_points_at_the_first_checkbox(member_client):
    response = member_client.post(reverse("members:profile_edit"), {**STEP1, **STEP2})

    page = response.content.decode()
    assert 'href="#id_interests_0"' in page and 'id="id_interests_0"' in page
    assert 'href="#"' not in page


def test_error_summary_links_for_the_wizards_choice_groups_point_at_their_first_option(
    new_client,
):
    meeting = reverse("members:wizard", args=["meeting"])
    interests = reverse("members:wizard", args=["interests"])
    InterestFactory(name="Systematic searching")

    radios = new_client.post(meeting, {**STEP2, "meeting_format": ""}).content.decode()
    boxes = new_client.post(interests, {"about": "Hi"}).content.decode()

    assert 'href="#id_meeting_format_0"' in radios and 'id="id_meeting_format_0"' in radios
    assert 'href="#id_interests_0"' in boxes and 'id="id_interests_0"' in boxes


def test_clearing_a_required_field_is_refused_on_edit(member_client, member):
    response = member_client.post(reverse("members:profile_edit"), {**STEP1, **STEP2, "region": ""})

    assert response.status_code == 200
    member.profile.refresh_from_db()
    assert member.profile.region == "north-west"


def test_back_keeps_what_was_typed_on_the_step(new_client, new_member):
    topic = InterestFactory(name="Systematic searching")
    new_client.post(reverse("members:wizard", args=["about"]), STEP1)
    new_client.post(reverse("members:wizard", args=["meeting"]), STEP2)

    back = new_client.post(
        reverse("members:wizard", args=["interests"]),
        {"interests": [topic.pk], "about": "Solo hospital librarian.", "back": "1"},
    )

    assert back.url == reverse("members:wizard", args=["meeting"])
    profile = Profile.objects.get(user=new_member)
    assert profile.about == "Solo hospital librarian."
    assert list(profile.interests.all()) == [topic]
    assert profile.wizard_done_at is None  # going back does not finish the wizard
    page = new_client.get(reverse("members:wizard", args=["interests"])).content.decode()
    assert "Solo hospital librarian." in page
    assert '<button type="submit" name="back" value="1">Back</button>' in page


def test_an_invited_member_who_already_joined_finishes_on_the_dashboard(new_client, new_member):
    MembershipFactory(user=new_member, programme=ProgrammeFactory(name="North West coffee"))
    topic = InterestFactory(name="Systematic searching")
    new_client.post(reverse("members:wizard", args=["about"]), STEP1)
    new_client.post(reverse("members:wizard", args=["meeting"]), STEP2)

    last = new_client.post(
        reverse("members:wizard", args=["interests"]), {"interests": [topic.pk]}, follow=True
    )

    assert last.redirect_chain[-1][0] == reverse("members:dashboard")
    page = last.content.decode()
    assert "Your profile is ready." in page
    assert "Now choose a programme to join" not in page
    assert "North West coffee" in page


def test_back_from_an_unfinished_step_keeps_the_valid_answers_and_goes_back(new_client, new_member):
    new_client.post(reverse("members:wizard", args=["about"]), STEP1)

    back = new_client.post(
        reverse("members:wizard", args=["interests"]), {"about": "Solo librarian.", "back": "1"}
    )

    assert back.status_code == 302
    assert back.url == reverse("members:wizard", args=["meeting"])
    assert Profile.objects.get(user=new_member).about == "Solo librarian."


def test_the_time_zone_list_has_one_name_per_place(new_client):
    """About 420 zones, as the tz database lists them by country: Asia/Kolkata, not also
    its retired alias Asia/Calcutta; no legacy Canada/Eastern."""
    page = new_client.get(reverse("members:wizard", args=["meeting"])).content.decode()
    zones = re.findall(r'<option value="([A-Za-z_]+/[^"]+)"', page)

    assert 400 <= len(zones) <= 450
    assert "Asia/Kolkata" in zones and "Europe/London" in zones and "Africa/Accra" in zones
    assert "Asia/Calcutta" not in zones and "Canada/Eastern" not in zones


def test_a_profile_saved_with_a_retired_zone_name_moves_to_its_current_name(new_member):
    from importlib import import_module

    from django.apps import apps

    unknown = UserFactory()
    Profile.objects.filter(user=new_member).update(time_zone="Asia/Calcutta")
    Profile.objects.filter(user=unknown).update(time_zone="Mars/Olympus")
    migration = import_module("members.migrations.0005_time_zones_one_per_place")

    migration._to_current_names(apps, None)

    assert Profile.objects.get(user=new_member).time_zone == "Asia/Kolkata"
    assert Profile.objects.get(user=unknown).time_zone == "Europe/London"
