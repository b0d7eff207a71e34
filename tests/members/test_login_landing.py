"""Where logging in lands: a member on their dashboard, an organiser on the organiser home
(the admin index, which links back to their own dashboard), a `next` address first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Profile

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _log_in(user, **query: str):
    user.set_password(PASSWORD)
    user.save()
    url = reverse("account_login")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return Client().post(url, {"login": user.email, "password": PASSWORD})


def test_an_organiser_lands_on_the_organiser_home_which_links_to_their_dashboard(organiser):
    response = _log_in(organiser)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    client = Client()
    client.force_login(organiser)
    home = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("members:dashboard")}">My dashboard</a>' in home


def test_a_member_lands_on_their_dashboard(member):
    response = _log_in(member)

    assert response["Location"] == reverse("members:dashboard")


def test_an_organiser_following_a_link_lands_where_it_pointed(organiser):
    response = _log_in(organiser, next=reverse("members:dashboard"))

    assert response["Location"] == reverse("members:dashboard")


def test_an_organiser_whose_profile_is_not_finished_still_lands_on_the_organiser_home(
    organiser,
):
    Profile.objects.filter(user=organiser).update(wizard_done_at=None, sector="")

    response = _log_in(organiser)

    assert response["Location"] == reverse("admin:index")
