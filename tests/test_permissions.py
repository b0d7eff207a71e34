"""Who may open what: anonymous, member, other member, organiser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PRIVATE_PAGES = [
    "members:dashboard",
    "members:profile_edit",
    "members:data_export",
    "members:wizard",
]


def _url(name):
    return reverse(name, args=["about"]) if name == "members:wizard" else reverse(name)


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(_url(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_member_opens_their_own_pages(member_client, name):
    assert member_client.get(_url(name)).status_code == 200


@pytest.mark.parametrize("action", ["membership_leave", "membership_pause"])
def test_another_members_membership_pages_are_404(other_client, member, programme, action):
    membership = MembershipFactory(user=member, programme=programme)

    response = other_client.get(reverse(f"pairing:{action}", args=[membership.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "action", ["membership_leave", "membership_pause", "membership_resume", "membership_skip"]
)
def test_another_member_cannot_change_my_membership(other_client, member, programme, action):
    membership = MembershipFactory(user=member, programme=programme)

    response = other_client.post(
        reverse(f"pairing:{action}", args=[membership.pk]), {"until": "2099-01-01", "skip": "1"}
    )

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "active" and not membership.skip_next_round


def test_member_dashboard_never_shows_other_members(member_client, other_member, programme):
    MembershipFactory(user=other_member, programme=programme)

    body = member_client.get(reverse("members:dashboard")).content.decode()

    assert "Grace Hopper" not in body
    assert "grace@example.org" not in body


def test_member_is_refused_the_admin(member_client):
    assert member_client.get("/admin/", follow=True).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/members/user/",
        "/admin/pairing/programme/",
        "/admin/members/interest/",
        "/admin/pairing/membership/",
    ],
)
def test_organiser_opens_the_admin(organiser_client, member, path):
    assert organiser_client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/programmes/",
        "/code-of-conduct/",
        "/privacy/",
        "/accounts/signup/",
        "/accounts/login/",
    ],
)
def test_public_pages_open_for_anyone(client, path):
    assert client.get(path).status_code == 200
