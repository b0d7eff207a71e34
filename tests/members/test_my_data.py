from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from members.models import Profile, User
from pairing.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _login_and_reauthenticate(client, user):
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    assert response.status_code == 302


def test_export_holds_my_account_profile_and_memberships(member_client, member, programme):
    MembershipFactory(user=member, programme=programme)

    response = member_client.get(reverse("members:data_export"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "ada@example.org"
    assert data["profile"]["display_name"] == "Ada Lovelace"
    assert data["profile"]["organisation"] == member.profile.organisation
    assert sorted(data["profile"]["interests"]) == ["Open access", "Systematic searching"]
    assert data["memberships"][0]["programme"] == "North West coffee"


def test_export_holds_nothing_of_other_members(member_client, other_member):
    body = member_client.get(reverse("members:data_export")).content.decode()

    assert "grace@example.org" not in body
    assert "Grace Hopper" not in body


def test_delete_asks_for_the_password_again_first(member_client):
    response = member_client.get(reverse("members:account_delete"))

    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url


def test_delete_needs_the_confirmation_words(client, member):
    _login_and_reauthenticate(client, member)

    response = client.post(reverse("members:account_delete"), {"confirm": "yes please"})

    assert response.status_code == 200
    assert "To confirm, type the three words: delete my account." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_removes_the_account_and_personal_data(client, member, programme):
    MembershipFactory(user=member, programme=programme)
    _login_and_reauthenticate(client, member)

    response = client.post(reverse("members:account_delete"), {"confirm": "Delete my account"})

    assert response.status_code == 302
    assert not User.objects.filter(email="ada@example.org").exists()
    assert not Profile.objects.filter(display_name="Ada Lovelace").exists()
    assert not Membership.objects.filter(programme=programme).exists()
    assert not EmailAddress.objects.filter(email="ada@example.org").exists()
    assert client.get(reverse("members:dashboard")).status_code == 302
