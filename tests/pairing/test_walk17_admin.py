"""Creating a programme in the admin: its creator is its organiser unless they chose
others, so it reaches someone and shows on their home page; a name already taken is
refused in plain words."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from pairing.models import Programme
from tests.factories import ProgrammeFactory, UserFactory
from tests.pairing.test_programme_admin import _programme_form

pytestmark = pytest.mark.django_db

ADD = "/admin/pairing/programme/add/"


@pytest.fixture
def staff_organiser():
    """Staff, not a superuser: may add and change programmes, sees only their own on the
    organiser home."""
    user = UserFactory(email="sam@example.org", is_staff=True, profile__display_name="Sam Staff")
    codenames = ["add_programme", "change_programme", "view_programme"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def staff_client(staff_organiser):
    client = Client()
    client.force_login(staff_organiser)
    return client


def test_a_programme_saved_with_no_organisers_chosen_is_organised_by_its_creator(
    staff_client, staff_organiser
):
    response = staff_client.post(ADD, _programme_form(), follow=True)

    programme = Programme.objects.get(name="Action learning spring")
    assert list(programme.organisers.all()) == [staff_organiser]
    assert "You are its organiser; add others under Organisers." in response.content.decode()


def test_a_staff_organiser_sees_and_edits_the_programme_they_just_created(
    staff_client, staff_organiser
):
    staff_client.post(ADD, _programme_form())
    programme = Programme.objects.get(name="Action learning spring")

    home = staff_client.get("/admin/").content.decode()
    change = staff_client.get(f"/admin/pairing/programme/{programme.pk}/change/")
    next_round = staff_client.get(f"/admin/pairing/programme/{programme.pk}/next-round/")

    assert "Action learning spring" in home
    assert "You do not organise a programme yet" not in home
    assert change.status_code == 200
    assert next_round.status_code == 200


def test_the_add_form_starts_with_its_creator_chosen_as_organiser(staff_client, staff_organiser):
    body = staff_client.get(ADD).content.decode()

    assert f'<option value="{staff_organiser.pk}" selected>' in body


def test_the_creator_is_added_only_when_nobody_was_chosen(staff_client, staff_organiser):
    colleague = UserFactory(email="kim@example.org", is_staff=True)

    staff_client.post(ADD, _programme_form(), follow=True)  # its message shown
    chosen = staff_client.post(
        ADD,
        _programme_form(name="Search review", slug="search-review", organisers=[colleague.pk]),
        follow=True,
    )

    assert list(Programme.objects.get(slug="action-learning-spring").organisers.all()) == [
        staff_organiser
    ]
    assert list(Programme.objects.get(slug="search-review").organisers.all()) == [colleague]
    assert "You are its organiser" not in chosen.content.decode()


def test_a_programme_name_already_taken_is_refused_in_plain_words(organiser_client):
    ProgrammeFactory(name="North West coffee", slug="nw-coffee")

    response = organiser_client.post(
        ADD, _programme_form(name="North West coffee", slug="north-west-coffee-2")
    )

    body = response.content.decode()
    assert "There is already a programme called “North West coffee”: choose another name." in body
    assert "Programme with this Name already exists." not in body
    assert 'value="North West coffee"' in body  # nothing typed is lost
    assert Programme.objects.filter(name="North West coffee").count() == 1
    # Its own name is not "already taken" when the programme is edited.
    programme = Programme.objects.get(name="North West coffee")
    organiser_client.post(
        f"/admin/pairing/programme/{programme.pk}/change/",
        _programme_form(name="North West coffee", slug="nw-coffee", description="Monthly."),
    )
    programme.refresh_from_db()
    assert programme.description == "Monthly."


def test_a_slug_already_taken_is_refused_in_plain_words(organiser_client):
    ProgrammeFactory(name="North West coffee", slug="north-west-coffee")

    response = organiser_client.post(
        ADD, _programme_form(name="North West coffee 2", slug="north-west-coffee")
    )

    body = response.content.decode()
    assert (
        "Another programme already has the web address “north-west-coffee”: change the slug."
        in body
    )
    assert "Programme with this Slug already exists." not in body
    assert 'value="North West coffee 2"' in body  # nothing typed is lost
