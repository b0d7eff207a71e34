"""A programme saved in the admin leads on: the message after adding one links to
inviting members, announcing it and its first round's eligibility, and its change page
carries the same links (and the evidence and the members' page) for its organisers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from pairing.models import Programme
from tests.factories import ProgrammeFactory, UserFactory
from tests.pairing.test_programme_admin import _programme_form

pytestmark = pytest.mark.django_db


def _staff(email: str) -> Client:
    user = UserFactory(email=email, is_staff=True)
    codenames = ["add_programme", "change_programme", "view_programme"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def _onward(pk: int) -> list[str]:
    return [
        reverse("admin:members_invitation_programme", args=[pk]),
        reverse("admin:members_announcement_programme", args=[pk]),
        reverse("admin:pairing_programme_next_round", args=[pk]),
    ]


def test_the_message_after_adding_a_programme_says_what_to_do_next():
    client = _staff("sam@example.org")

    response = client.post(reverse("admin:pairing_programme_add"), _programme_form(), follow=True)

    page = response.content.decode()
    programme = Programme.objects.get(name="Action learning spring")
    assert "Next: <a href=" in page
    for url in _onward(programme.pk):
        assert f'href="{url}"' in page
    assert "see who is eligible for its first round</a>." in page
    # Each link works for the organiser who just made it.
    for url in _onward(programme.pk):
        assert client.get(url).status_code == 200


def test_its_change_page_links_on_for_its_organisers_only():
    organiser, other = _staff("sam@example.org"), _staff("kim@example.org")
    programme = ProgrammeFactory(name="Coffee North", kind="coffee")
    programme.organisers.add(organiser.user)
    change = reverse("admin:pairing_programme_change", args=[programme.pk])

    mine = organiser.get(change).content.decode()
    theirs = other.get(change).content.decode()

    links = [
        *_onward(programme.pk),
        reverse("feedback:programme_report", args=[programme.pk]),
        reverse("pairing:programme_detail", args=[programme.slug]),
    ]
    for url in links:
        assert f'href="{url}"' in mine
    for url in links[:4]:
        assert f'href="{url}"' not in theirs
    # Invitations, announcements and evidence are its organisers' alone: a 404 for others.
    for url in [*links[:2], links[3]]:
        assert other.get(url).status_code == 404
    assert ">Invite members</a>" in mine


def test_changing_a_programme_does_not_repeat_the_first_steps():
    client = _staff("sam@example.org")
    client.post(reverse("admin:pairing_programme_add"), _programme_form(), follow=True)
    programme = Programme.objects.get(name="Action learning spring")
    change = reverse("admin:pairing_programme_change", args=[programme.pk])
    form = _programme_form() | {"organisers": [client.user.pk]}

    response = client.post(change, form, follow=True)

    assert "was changed successfully" in response.content.decode()
    assert "Next: <a" not in response.content.decode()


def test_a_new_learning_set_programme_speaks_of_its_first_cycle():
    client = _staff("sam@example.org")
    form = _programme_form() | {
        "kind": "learning_set",
        "group_size": 5,
        "ground_rules": "What is said in the set stays in the set.",
    }

    response = client.post(reverse("admin:pairing_programme_add"), form, follow=True)

    assert "see who is eligible for its first cycle</a>." in response.content.decode()
